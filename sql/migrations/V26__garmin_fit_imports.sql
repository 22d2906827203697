-- Garmin's FIT files (a watch's monitoring, sleep and activity files) are an import format of their own; their
-- readings are filed under a device of type 'garmin', which biometric_devices already allows.
ALTER TABLE biometric_imports DROP CONSTRAINT biometric_imports_format_check;
ALTER TABLE biometric_imports ADD CONSTRAINT biometric_imports_format_check
    CHECK (format IN ('apple_health', 'fitbit', 'oura', 'health_connect', 'garmin_fit'));
