package io.chakrai.api.readings;

import io.chakrai.api.devices.DeviceRepository;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/**
 * What accepting readings needs to know about devices: whose they are, and when they last synced.
 */
public interface DeviceOwnership {
    /** For each of {@code ids} registered to {@code userId}: active or not, and its data types. */
    Map<Integer, DeviceRepository.Ownership> ownership(int userId, Collection<Integer> ids)
            throws SQLException;

    /** Marks the devices as having synced now. */
    void touchSync(int userId, Collection<Integer> ids) throws SQLException;
}
