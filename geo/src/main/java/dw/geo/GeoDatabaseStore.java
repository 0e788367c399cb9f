package dw.geo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where GeoIP databases named by a URL scheme other than a local path live (for example {@code
 * s3://}). Registered per scheme with {@link GeoLookups#registerStore}; {@link GeoLookups} copies
 * the object to a local file to open it and asks for its {@link #fingerprint} to notice a
 * replacement without downloading it.
 */
public interface GeoDatabaseStore {

  /**
   * A cheap description of the object's current version (size, last-modified time, ETag...) that
   * changes when the object is replaced.
   *
   * @throws IOException if the object cannot be found or read
   */
  String fingerprint(String path) throws IOException;

  /**
   * Copies the object to {@code target} (which exists and is to be overwritten).
   *
   * @throws IOException if the object cannot be read
   */
  void copyTo(String path, Path target) throws IOException;
}
