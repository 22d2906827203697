package io.chakrai.api.http;

import java.util.List;
import java.util.Map;

/**
 * An error the API answers with a JSON body: {@code {"error": {"status": 400, "code":
 * "invalid_readings", "message": "...", "details": [...]}}}.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient List<Map<String, Object>> details;
    private long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public ApiException(
            int status, String code, String message, List<Map<String, Object>> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Map<String, Object>> details() {
        return details;
    }

    /**
     * Seconds the client should wait before trying again (sent as {@code Retry-After}); 0 for none.
     */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** 429: too many attempts; try again after {@code seconds}. */
    public static ApiException tooManyRequests(String message, long seconds) {
        ApiException e = new ApiException(429, "too_many_attempts", message);
        e.retryAfterSeconds = Math.max(1, seconds);
        return e;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }
}
