package io.github.dl4jserving.platform;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * The disk refused a write: full, over a quota or a file size limit, read-only or not writable.
 * Answered with 507 Insufficient Storage; the message names what was being stored and the system's
 * reason, never a path.
 */
public class StorageException extends ServiceException {
    /** The strerror texts of the errors that mean "the disk will not take this" (ENOSPC, EDQUOT, EFBIG, EROFS). */
    private static final List<String> REASONS =
            List.of("No space left on device", "Disk quota exceeded", "File too large", "Read-only file system");

    private StorageException(String message, IOException cause) {
        super(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", message, null, null, null, cause);
    }

    @Override
    public boolean logged() {
        return true;
    }

    /** Whether {@code e} is the disk refusing a write rather than bad data being read. */
    public static boolean isStorage(IOException e) {
        String message = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return e instanceof AccessDeniedException
                || (message != null && REASONS.stream().anyMatch(message::contains));
    }

    /** Where uploads are spooled and copied before they are checked. */
    public static final Path TEMP_DIR = Path.of(System.getProperty("java.io.tmpdir"));

    /** Throws {@link #of}{@code (what, e, root)} when {@code e} is the disk refusing a write; returns otherwise. */
    public static void throwIfStorage(String what, IOException e, Path root) {
        if (isStorage(e)) {
            throw of(what, e, root);
        }
    }

    /** "Could not store {@code what}: {reason}; nothing was kept.", with {@code root} and below cut from the reason. */
    public static StorageException of(String what, IOException e, Path root) {
        String reason = e instanceof FileSystemException f && f.getReason() != null
                ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (e instanceof AccessDeniedException) {
            reason = "Permission denied";
        }
        reason = reason.replace(root.toAbsolutePath().toString(), "");
        return new StorageException(
                "Could not store " + what + ": " + reason + " (the disk refused the write); "
                        + "nothing was kept, and what was stored before is unchanged.",
                e);
    }
}
