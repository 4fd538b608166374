"""Numbers the pages, forms and services of every flow that sends a code share."""

# Digits of a verification code sent by text message or email, and of an authenticator app's code.
CODE_LENGTH = 6
