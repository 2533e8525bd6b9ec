"""The review wing: department leaders' sign-off (或签, 委办), 督查科's check, returns and
rejections, the review queue and a nomination's history."""
