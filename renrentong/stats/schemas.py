"""Statistics API types (STAT-1, STAT-2). Names carry the area's word so the OpenAPI schema stays unique."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field

from renrentong.core.schemas import Schema


class UsageFiguresOut(Schema):
    activated: int = Field(description="accounts that ever logged in")
    active_7: int = Field(description="distinct people who logged in within the last 7 days")
    active_30: int = Field(description="distinct people who logged in within the last 30 days")
    follows: int = Field(description="channel (official account) follows within the chosen days")
    uploaded: int
    submitted: int
    posts: int
    spaces_opened: int


class UsageRowOut(Schema):
    level: str
    node_id: int
    name: str
    drills: bool = Field(description="false for the teachers' row of a school, which has no class below it")
    figures: UsageFiguresOut


class UsageCrumbOut(Schema):
    level: str
    node_id: int
    name: str


class UsageTrendOut(Schema):
    day: date
    active: int = Field(description="people who logged in that day")
    logins: int


class UsageReportOut(Schema):
    level: str
    node_id: int
    name: str
    role: str
    days: int
    as_of: datetime | None = Field(description="the figures hold everything before this time; null: not counted yet")
    path: list[UsageCrumbOut]
    totals: UsageFiguresOut
    rows: list[UsageRowOut]
    trend: list[UsageTrendOut]
    activated_by_role: dict[str, int]
    charts: dict[str, dict] = Field(description="the ECharts options the page draws, with their aria descriptions")


class UsagePersonOut(Schema):
    account_id: int
    name: str
    account: str = Field(description="masked account number (NFR-1)")
    role: str
    activated_on: date | None
    last_active_on: date | None


class UsagePeopleOut(Schema):
    class_id: int
    class_name: str
    school_id: int
    as_of: datetime | None
    path: list[UsageCrumbOut]
    people: list[UsagePersonOut]
    truncated: bool


class UsageHomeOut(Schema):
    level: str
    node_id: int
