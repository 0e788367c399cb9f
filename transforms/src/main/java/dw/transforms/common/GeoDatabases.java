package dw.transforms.common;

import dw.geo.GeoDatabaseStore;
import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The GeoIP lookups of the parse steps: {@link GeoLookups} with databases that may also be objects
 * of a Beam file system ({@code s3://bucket/GeoLite2-City.mmdb}; the workers' S3 options apply),
 * refreshed every {@code --geoipRefreshHours}. An object's size, last-modified time and checksum
 * tell a replacement; it is downloaded only then.
 */
public final class GeoDatabases {

  /** The schemes opened through Beam's {@link FileSystems}. */
  private static final String[] SCHEMES = {"s3", "gs"};

  static {
    GeoDatabaseStore store = new BeamFileSystemStore();
    for (String scheme : SCHEMES) {
      GeoLookups.registerStore(scheme, store);
    }
  }

  private GeoDatabases() {}

  /**
   * {@link GeoLookups#forOptions(String, String, int)} with the Beam file systems registered.
   *
   * @throws dw.geo.GeoDatabaseException if a database cannot be used
   * @throws IllegalArgumentException if {@code refreshHours} is negative
   */
  public static GeoLookup forOptions(String cityPathOrEmpty, String asnPathOrEmpty, int refreshHours) {
    return GeoLookups.forOptions(cityPathOrEmpty, asnPathOrEmpty, refreshHours);
  }

  /** Reads databases through Beam's file systems (configured by the pipeline options). */
  static final class BeamFileSystemStore implements GeoDatabaseStore {
    @Override
    public String fingerprint(String path) throws IOException {
      MatchResult.Metadata m = FileSystems.matchSingleFileSpec(path);
      return m.sizeBytes() + " " + m.lastModifiedMillis() + " " + m.checksum();
    }

    @Override
    public void copyTo(String path, Path target) throws IOException {
      MatchResult.Metadata m = FileSystems.matchSingleFileSpec(path);
      try (ReadableByteChannel channel = FileSystems.open(m.resourceId());
          InputStream in = Channels.newInputStream(channel);
          OutputStream out = Files.newOutputStream(target)) {
        long copied = in.transferTo(out);
        if (copied != m.sizeBytes()) {
          throw new IOException(
              "read " + copied + " bytes of " + path + ", expected " + m.sizeBytes());
        }
      }
    }
  }
}
