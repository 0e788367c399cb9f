package dw.transforms.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Opens a log file (local, {@code s3://}, any Beam filesystem) for reading line by line, streamed:
 * one sequential read of the object, inflated on the fly when the name ends in {@code .gz}, with
 * fixed 64 KiB buffers, so memory does not depend on the size of the file (tested with a
 * gigabytes-large object under a small heap).
 */
public final class LogFileReader {
  private static final int BUFFER = 1 << 16;

  private LogFileReader() {}

  /** A reader of the file's lines (UTF-8); the caller closes it. */
  public static BufferedReader open(ResourceId file) throws IOException {
    return new BufferedReader(new InputStreamReader(stream(file), StandardCharsets.UTF_8), BUFFER);
  }

  /**
   * The file's lines (UTF-8) decoded straight from the bytes ({@link Utf8Lines}: the same lines as
   * {@link #open}, cheaper); the caller closes it.
   */
  public static Utf8Lines openLines(ResourceId file) throws IOException {
    return new Utf8Lines(stream(file), BUFFER);
  }

  /** The file's bytes, inflated when the name ends in {@code .gz}. */
  private static InputStream stream(ResourceId file) throws IOException {
    InputStream in = Channels.newInputStream(FileSystems.open(file));
    String name = file.getFilename();
    if (name != null && name.endsWith(".gz")) {
      try {
        in = new GZIPInputStream(in, BUFFER);
      } catch (IOException e) {
        in.close();
        throw e;
      }
    }
    return in;
  }
}
