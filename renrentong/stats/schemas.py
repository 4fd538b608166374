"""Statistics API types (STAT-1, STAT-2). Names carry the area's word so the OpenAPI schema stays unique."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field

from renrentong.core.schemas import Schema


class StatsFiguresOut(Schema):
    activated: int = Field(description="accounts that ever logged in")
    active_7: int = Field(description="distinct people who logged in within the last 7 days")
    active_30: int = Field(description="distinct people who logged in within the last 30 days")
    follows: int = Field(description="channel (official account) follows within the chosen days")
    uploaded: int
    submitted: int
    posts: int
    spaces_opened: int


class StatsRowOut(Schema):
    level: str
    node_id: int
    name: str
    drills: bool = Field(description="false for the teachers' row of a school, which has no class below it")
    figures: StatsFiguresOut


class StatsCrumbOut(Schema):
    level: str
    node_id: int
    name: str


class StatsTrendOut(Schema):
    day: date
    active: int = Field(description="people who logged in that day")
    logins: int


class StatsReportOut(Schema):
    level: str
    node_id: int
    name: str
    role: str
    days: int
    as_of: datetime | None = Field(description="the figures hold everything before this time; null: not counted yet")
    path: list[StatsCrumbOut]
    totals: StatsFiguresOut
    rows: list[StatsRowOut]
    trend: list[StatsTrendOut]
    activated_by_role: dict[str, int]
    charts: dict[str, dict] = Field(description="the ECharts options the page draws, with their aria descriptions")


class StatsPersonOut(Schema):
    account_id: int
    name: str
    account: str = Field(description="masked account number (NFR-1)")
    role: str
    activated_on: date | None
    last_active_on: date | None


class StatsPeopleOut(Schema):
    class_id: int
    class_name: str
    school_id: int
    as_of: datetime | None
    path: list[StatsCrumbOut]
    people: list[StatsPersonOut]
    truncated: bool


class StatsHomeOut(Schema):
    level: str
    node_id: int


class StatsExportJobOut(Schema):
    job_id: int
    page_url: str = Field(description="the export's progress page; the file is offered there when written")
