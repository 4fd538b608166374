"""Read receipts (MSG-3): addressed, read and confirmed per notice and per class, the unread, reminders."""
