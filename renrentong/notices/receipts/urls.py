from django.urls import path

from renrentong.notices.receipts import views

urlpatterns = [
    path("receipts/", views.followed, name="receipts_list"),
    path("receipts/<int:notice_id>/", views.notice_receipts, name="receipts"),
    path("receipts/<int:notice_id>/remind/", views.remind, name="receipts_remind"),
    path("receipts/<int:notice_id>/classes/<int:class_id>/", views.class_unread, name="receipts_class"),
    path("receipts/<int:notice_id>/classes/<int:class_id>/export/", views.class_unread_export,
         name="receipts_export"),
]
