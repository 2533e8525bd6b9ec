"""The reminders wing: who is reminded of what before and after each deadline, exactly once
and never too often."""
