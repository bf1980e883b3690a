"""Staff screening of verified applicants: approve, decline with a reason, or ask for more."""
