package io.chakrai.models.storage;

/**
 * How erasing a person and storing readings stay out of each other's way. Every batch of readings
 * takes this PostgreSQL advisory lock shared, then drops the rows of erased people ({@code
 * erased_users}); an erasure takes it exclusively, so it waits for the batches already writing and
 * every later batch sees the tombstone: no reading of an erased person can be stored after the
 * erasure, whatever was in flight.
 */
public final class Erasure {
    /** The advisory lock's key ("CHKR" + 1). */
    public static final long LOCK_KEY = 0x43484B5201L;

    private Erasure() {}
}
