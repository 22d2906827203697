package io.chakrai.models.imports;

/**
 * The file cannot be imported (or read further): not a known export, malformed at a position, or
 * hostile (entities, a zip bomb, unsafe names). The message is for the person who uploaded it; it
 * names no class and holds no content.
 */
public final class ImportRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public ImportRefused(String message) {
        super(message);
    }

    public ImportRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
