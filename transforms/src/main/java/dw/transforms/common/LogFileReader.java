package dw.transforms.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
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

  /**
   * The file's lines (UTF-8, {@link java.io.BufferedReader#readLine()}'s line rules) decoded
   * straight from the bytes ({@link Utf8Lines}); the caller closes it.
   */
  public static Utf8Lines openLines(ResourceId file) throws IOException {
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
    return new Utf8Lines(in, BUFFER);
  }
}
