package dw.transforms.common;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.ZipException;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The lines of a log file ({@link LogFileReader}), surviving transient storage faults: when opening
 * or reading fails with an I/O error (a connection reset in the middle of an object, a 500/503 from
 * S3 after the client's own retries), the file is opened again and the lines already returned are
 * skipped, so the caller sees every line exactly once. After {@value #MAX_ATTEMPTS} attempts the
 * last error is thrown with the file and line named (the run fails; no data is skipped).
 *
 * <p>Damage in the file itself ({@link ZipException}, {@link EOFException}: corrupt or truncated
 * gzip) is not retried: it is the same on every read, and the caller dead-letters it.
 */
public final class RetryingLineReader implements AutoCloseable {
  /** Opens (and re-opens) the file: a seam for tests. */
  @FunctionalInterface
  public interface Opener {
    Utf8Lines open(ResourceId file) throws IOException;
  }

  public static final int MAX_ATTEMPTS = 6;
  private static final long FIRST_BACKOFF_MS = 200;

  private final ResourceId file;
  private final Opener opener;
  private Utf8Lines reader;
  private long delivered;
  private int retries;

  private RetryingLineReader(ResourceId file, Opener opener) {
    this.file = file;
    this.opener = opener;
  }

  /** Opens {@code file} (retrying transient errors). */
  public static RetryingLineReader open(ResourceId file) throws IOException {
    return open(file, LogFileReader::openLines);
  }

  static RetryingLineReader open(ResourceId file, Opener opener) throws IOException {
    RetryingLineReader r = new RetryingLineReader(file, opener);
    r.reopen(null);
    return r;
  }

  /** The next line, or null at the end; throws {@link ZipException}/{@link EOFException} on damage. */
  public String readLine() throws IOException {
    while (true) {
      try {
        String line = reader.readLine();
        if (line != null) {
          delivered++;
        }
        return line;
      } catch (ZipException | EOFException damage) {
        throw damage;
      } catch (IOException | RuntimeException e) {
        if (!transientError(e)) {
          throw e;
        }
        reopen(e);
      }
    }
  }

  /** Times the file was opened again after an error. */
  public int retries() {
    return retries;
  }

  private void reopen(Exception cause) throws IOException {
    int attempt = cause == null ? 1 : 2;
    Exception last = cause;
    while (true) {
      if (last != null) {
        if (attempt > MAX_ATTEMPTS) {
          throw new IOException(
              file + ": reading failed " + MAX_ATTEMPTS + " times (after line " + delivered + "): " + last, last);
        }
        retries++;
        closeQuietly();
        sleep(FIRST_BACKOFF_MS << Math.min(attempt - 2, 5));
      }
      try {
        reader = opener.open(file);
        for (long i = 0; i < delivered; i++) {
          if (reader.readLine() == null) {
            throw new IOException(file + ": the file is shorter than before (" + i + " of " + delivered + " lines)");
          }
        }
        return;
      } catch (ZipException | EOFException damage) {
        if (delivered == 0) {
          throw damage;
        }
        last = damage;
      } catch (IOException | RuntimeException e) {
        if (!transientError(e)) {
          throw e;
        }
        last = e;
      }
      attempt++;
    }
  }

  /** I/O errors and the storage clients' own unchecked errors (AWS SDK), not our bugs. */
  static boolean transientError(Exception e) {
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String n = t.getClass().getName();
      if (n.startsWith("software.amazon.awssdk.") || t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms); // back-off before the next attempt
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while retrying", e);
    }
  }

  private void closeQuietly() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException | RuntimeException ignored) {
        // the broken stream of the failed attempt
      }
      reader = null;
    }
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
