-- Health Connect (Android's health store) exports the data of every app and wearable that writes to it: its
-- imported readings are filed under a device of type 'health_connect' (one per app the export names).
ALTER TABLE biometric_devices DROP CONSTRAINT biometric_devices_device_type_check;
ALTER TABLE biometric_devices ADD CONSTRAINT biometric_devices_device_type_check
    CHECK (device_type IN ('apple_watch', 'fitbit', 'oura', 'garmin', 'health_connect'));
ALTER TABLE biometric_imports DROP CONSTRAINT biometric_imports_format_check;
ALTER TABLE biometric_imports ADD CONSTRAINT biometric_imports_format_check
    CHECK (format IN ('apple_health', 'fitbit', 'oura', 'health_connect'));
