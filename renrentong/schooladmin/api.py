from ninja import Router

router = Router(tags=["schooladmin"])

# Each room keeps its endpoints in its own module; key information (KEY-1..KEY-3) is its own app.
from renrentong.schooladmin.class_changes.api import router as class_changes_router  # noqa: E402  students' class changes (issue 10)
from renrentong.schooladmin.transfers.api import router as transfers_router  # noqa: E402
from renrentong.schooladmin.users.api import router as users_router  # noqa: E402  users and teaching (ACC-5, ADM-1..ADM-4)

router.add_router("", transfers_router)
router.add_router("", users_router)
router.add_router("", class_changes_router)
