"""Real returns reports in: calibrate a scenario from Amazon's returns report, and check a
report's decisions against the reference policy (docs/calibration.md)."""
