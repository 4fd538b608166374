"""The inbox (issue 13 item 2): what parents, students and teachers read, newest first, with its unread badge."""
