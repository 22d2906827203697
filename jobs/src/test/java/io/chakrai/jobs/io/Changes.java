package io.chakrai.jobs.io;

/** Change events as the CDC service writes them (Debezium JSON), for the parsers' tests. */
final class Changes {
    private Changes() {}

    /**
     * A change of {@code row} on {@code topic}: {@code op} c, r or u (the row after), or d
     * (before).
     */
    static RawRecord change(String topic, String op, String row) {
        String json =
                op.equals("d")
                        ? "{\"before\":"
                                + row
                                + ",\"after\":null,\"op\":\"d\",\"source\":{\"lsn\":2}}"
                        : "{\"before\":null,\"after\":"
                                + row
                                + ",\"op\":\""
                                + op
                                + "\",\"source\":{\"lsn\":1}}";
        return new RawRecord(topic, 0, 1, "{\"id\":1}", json, 0);
    }
}
