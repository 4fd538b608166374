from ninja import Router

router = Router(tags=["schooladmin"])

# Transfers (ADM-5) and key information (KEY-1..KEY-3) keep their endpoints in their own modules.
from renrentong.schooladmin.class_changes.api import router as class_changes_router  # noqa: E402  students' class changes (issue 10)
from renrentong.keyinfo.api import router as keyinfo_router  # noqa: E402
from renrentong.schooladmin.transfers.api import router as transfers_router  # noqa: E402
from renrentong.schooladmin.users.api import router as users_router  # noqa: E402  users and teaching (ACC-5, ADM-1..ADM-4)

router.add_router("", transfers_router)
router.add_router("", keyinfo_router)
router.add_router("", users_router)
router.add_router("", class_changes_router)
