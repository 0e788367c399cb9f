package dw.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import java.io.File;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link GeoLookup} over MaxMind GeoIP2/GeoLite2 databases: a City database (required) and an ASN
 * database (optional). GeoIP2's {@link DatabaseReader} validates each file at open; lookups use the
 * low-level MaxMind DB {@link Reader}, memory-mapped, decoding only the fields used ({@link
 * MmdbRecords}) into objects its {@link CHMCache} shares across the addresses of a network.
 *
 * <p>{@link #open} checks each file before any data flows and throws {@link GeoDatabaseException}
 * naming the file, its option and the problem: missing or unreadable file, not a MaxMind DB, wrong
 * database type, a search tree larger than the file, or a record that cannot be decoded. Damage
 * that only shows on a later lookup is counted in {@link #lookupErrors()} and that lookup returns
 * empty fields; lookups never throw.
 *
 * <p>Instances are thread-safe. In a pipeline, obtain one through {@link GeoLookups#shared} so that
 * all DoFn instances of a JVM share one open database.
 */
public final class MaxMindGeoLookup implements GeoLookup {

  /** Option that names the City database in error messages unless told otherwise. */
  public static final String CITY_OPTION = "--geoipCityDatabase";

  /** Option that names the ASN database in error messages unless told otherwise. */
  public static final String ASN_OPTION = "--geoipAsnDatabase";

  /** Public addresses looked up at open to exercise the search tree and the data decoder. */
  private static final String[] PROBE_ADDRESSES = {
    "1.1.1.1", "8.8.8.8", "193.0.6.139", "2001:4860:4860::8888", "2606:4700:4700::1111"
  };

  /** Decoded records kept per database (one per network, shared by its addresses). */
  private static final int CACHE_ENTRIES = 1 << 16;

  /**
   * Slots of the address cache ({@link AddressCache}): about 4 MB of references, plus 40 bytes per
   * cached address; a backfill of 600 000 servers over four days fills about half.
   */
  private static final int CACHED_ADDRESSES = 1 << 20;

  /** How many of the first networks of a database are decoded at open. */
  private static final int PROBE_NETWORKS = 3;

  private final Reader cityReader;
  private final Reader asnReader;
  private final boolean cityIpv4Only;
  private final boolean asnIpv4Only;
  private final String description;
  private final LongAdder lookupErrors = new LongAdder();
  private volatile AddressCache cache = new AddressCache(CACHED_ADDRESSES);
  private volatile boolean closed;

  private MaxMindGeoLookup(Opened city, Opened asn) {
    this.cityReader = city.reader;
    this.cityIpv4Only = city.ipv4Only;
    this.asnReader = asn == null ? null : asn.reader;
    this.asnIpv4Only = asn != null && asn.ipv4Only;
    this.description =
        "MaxMindGeoLookup[city=" + city.path + (asn == null ? "" : ", asn=" + asn.path) + "]";
  }

  /**
   * Opens a City database and, if {@code asnPathOrNull} is not {@code null}, an ASN database; error
   * messages name them {@value #CITY_OPTION} and {@value #ASN_OPTION}.
   *
   * @throws GeoDatabaseException if a database cannot be used
   */
  public static MaxMindGeoLookup open(String cityPath, String asnPathOrNull) {
    return open(cityPath, CITY_OPTION, asnPathOrNull, ASN_OPTION);
  }

  /**
   * Opens a City database and an optional ASN database, naming the given options in error messages.
   *
   * @throws GeoDatabaseException if a database cannot be used
   */
  public static MaxMindGeoLookup open(
      String cityPath, String cityOption, String asnPathOrNull, String asnOption) {
    return open(cityPath, cityPath, cityOption, asnPathOrNull, asnPathOrNull, asnOption);
  }

  /**
   * Opens local copies of databases that live elsewhere (for example {@code s3://} objects): reads
   * {@code cityFile} and {@code asnFileOrNull}, names {@code cityShown} and {@code asnShown} in
   * error messages.
   *
   * @throws GeoDatabaseException if a database cannot be used
   */
  static MaxMindGeoLookup open(
      String cityFile,
      String cityShown,
      String cityOption,
      String asnFileOrNull,
      String asnShown,
      String asnOption) {
    Opened city = Opened.open(cityFile, cityShown, cityOption, Kind.CITY);
    Opened asn = null;
    if (asnFileOrNull != null) {
      try {
        asn = Opened.open(asnFileOrNull, asnShown, asnOption, Kind.ASN);
      } catch (RuntimeException e) {
        closeQuietly(city.reader);
        throw e;
      }
    }
    return new MaxMindGeoLookup(city, asn);
  }

  @Override
  public GeoInfo lookup(String ip) {
    byte[] bytes = IpAddresses.parse(ip);
    if (bytes == null || IpAddresses.isNonPublic(bytes) || closed) {
      return GeoInfo.EMPTY;
    }
    GeoInfo cached = cache.get(bytes);
    if (cached != null) {
      return cached;
    }
    return read(bytes);
  }

  /**
   * Replaces the address cache by one of {@code slots} slots (a power of two, at least 2), for
   * tests that need addresses to share slots. Call before the first lookup.
   */
  MaxMindGeoLookup withCacheSlots(int slots) {
    cache = new AddressCache(slots);
    return this;
  }

  /**
   * The databases' answer for a public address (4 or 16 bytes), kept in the address cache unless a
   * corrupt record cut it short (that read is counted each time it is asked for).
   */
  private GeoInfo read(byte[] bytes) {
    InetAddress address;
    try {
      address = InetAddress.getByAddress(bytes); // no DNS: the bytes are the address
    } catch (UnknownHostException e) {
      return GeoInfo.EMPTY; // cannot happen for 4 or 16 bytes
    }
    boolean ipv6 = address instanceof Inet6Address;
    boolean failed = false;

    String countryIso = null;
    String countryName = null;
    String subdivisionIso = null;
    String subdivisionName = null;
    String cityName = null;
    if (!(ipv6 && cityIpv4Only)) {
      try {
        MmdbRecords.City r = cityReader.get(address, MmdbRecords.City.class);
        if (r != null) {
          if (r.country != null) {
            countryIso = r.country.isoCode;
            countryName = r.country.name;
          }
          if (r.subdivision != null) {
            subdivisionIso = r.subdivision.isoCode;
            subdivisionName = r.subdivision.name;
          }
          cityName = r.city;
        }
      } catch (IOException | RuntimeException e) {
        lookupErrors.increment();
        failed = true;
      }
    }

    Long asn = null;
    String asnOrganization = null;
    if (asnReader != null && !(ipv6 && asnIpv4Only)) {
      try {
        MmdbRecords.Asn r = asnReader.get(address, MmdbRecords.Asn.class);
        if (r != null) {
          asn = r.number;
          asnOrganization = r.organization;
        }
      } catch (IOException | RuntimeException e) {
        lookupErrors.increment();
        failed = true;
      }
    }

    GeoInfo found =
        countryIso == null
                && countryName == null
                && subdivisionIso == null
                && subdivisionName == null
                && cityName == null
                && asn == null
                && asnOrganization == null
            ? GeoInfo.EMPTY
            : new GeoInfo(
                countryIso, countryName, subdivisionIso, subdivisionName, cityName, asn, asnOrganization);
    if (!failed) {
      cache.put(bytes, found);
    }
    return found;
  }

  /** Database reads (City or ASN) that failed on corrupt data since open; see the class doc. */
  @Override
  public long lookupErrors() {
    return lookupErrors.sum();
  }

  /** Whether an ASN database is open. */
  public boolean hasAsnDatabase() {
    return asnReader != null;
  }

  /** Metadata of the City database. */
  public Metadata cityMetadata() {
    return cityReader.getMetadata();
  }

  @Override
  public long buildEpochSeconds() {
    return cityReader.getMetadata().buildTime().getEpochSecond();
  }

  /** Metadata of the ASN database, or {@code null} if none is open. */
  public Metadata asnMetadata() {
    return asnReader == null ? null : asnReader.getMetadata();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(cityReader);
    if (asnReader != null) {
      closeQuietly(asnReader);
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /** The most telling message of an exception: wrappers often only repeat their cause. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  private static void closeQuietly(java.io.Closeable reader) {
    try {
      reader.close();
    } catch (IOException | RuntimeException ignored) {
      // Nothing useful to do: the file was only read.
    }
  }

  /** The database types this class opens. */
  private enum Kind {
    CITY("City", "a City database such as GeoLite2-City"),
    ASN("ASN", "an ASN database such as GeoLite2-ASN");

    final String typeMarker;
    final String expected;

    Kind(String typeMarker, String expected) {
      this.typeMarker = typeMarker;
      this.expected = expected;
    }
  }

  /** One validated, open database. */
  private static final class Opened {
    final String path;
    final Reader reader;
    final boolean ipv4Only;

    private Opened(String path, Reader reader, boolean ipv4Only) {
      this.path = path;
      this.reader = reader;
      this.ipv4Only = ipv4Only;
    }

    static Opened open(String fileText, String pathText, String option, Kind kind) {
      File file = checkFile(fileText, pathText, option);
      List<InetAddress> probes = new ArrayList<>();
      int ipVersion = checkFormat(file, pathText, option, kind, probes);

      DatabaseReader reader;
      try {
        reader = new DatabaseReader.Builder(file).withCache(new CHMCache()).build();
      } catch (IllegalArgumentException e) {
        // GeoIP2 knows database types by name; one that merely contains "City"/"ASN" may be
        // unknown.
        throw new GeoDatabaseException(
            pathText, option, "database type is not supported by GeoIP2: " + e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        throw new GeoDatabaseException(
            pathText, option, "not a valid MaxMind DB (.mmdb) file: " + reason(e), e);
      }
      try {
        for (String probe : PROBE_ADDRESSES) {
          probes.add(InetAddress.getByAddress(IpAddresses.parse(probe)));
        }
        for (InetAddress probe : probes) {
          if (ipVersion == 4 && probe instanceof Inet6Address) {
            continue;
          }
          if (kind == Kind.CITY) {
            reader.tryCity(probe);
          } else {
            reader.tryAsn(probe);
          }
        }
      } catch (IOException | GeoIp2Exception | RuntimeException e) {
        throw new GeoDatabaseException(
            pathText, option, "database is corrupt (a test lookup failed): " + reason(e), e);
      } finally {
        closeQuietly(reader);
      }
      // GeoIP2's reader validated the type and the records; lookups use the low-level reader into
      // MmdbRecords, which its cache can share across the addresses of a network.
      Reader lookups;
      try {
        lookups = new Reader(file, Reader.FileMode.MEMORY_MAPPED, new CHMCache(CACHE_ENTRIES));
        for (InetAddress probe : probes) {
          if (ipVersion == 4 && probe instanceof Inet6Address) {
            continue;
          }
          if (kind == Kind.CITY) {
            lookups.get(probe, MmdbRecords.City.class);
          } else {
            lookups.get(probe, MmdbRecords.Asn.class);
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new GeoDatabaseException(
            pathText, option, "database is corrupt (a test lookup failed): " + reason(e), e);
      }
      return new Opened(pathText, lookups, ipVersion == 4);
    }

    /** Checks that the path names a readable, non-empty regular file. */
    private static File checkFile(String fileText, String pathText, String option) {
      if (fileText == null || fileText.isBlank()) {
        throw new GeoDatabaseException(String.valueOf(pathText), option, "no file given", null);
      }
      Path path;
      try {
        path = Paths.get(fileText);
      } catch (InvalidPathException e) {
        throw new GeoDatabaseException(pathText, option, "not a valid file path", e);
      }
      if (!Files.exists(path)) {
        String where = path.isAbsolute() ? "" : " (resolved to " + path.toAbsolutePath() + ")";
        throw new GeoDatabaseException(pathText, option, "file does not exist" + where, null);
      }
      if (Files.isDirectory(path)) {
        throw new GeoDatabaseException(
            pathText, option, "is a directory, expected a .mmdb file", null);
      }
      if (!Files.isReadable(path)) {
        throw new GeoDatabaseException(pathText, option, "file is not readable", null);
      }
      try {
        if (Files.size(path) == 0) {
          throw new GeoDatabaseException(
              pathText, option, "file is empty, expected a MaxMind DB (.mmdb) file", null);
        }
      } catch (IOException e) {
        throw new GeoDatabaseException(pathText, option, "file cannot be read: " + e, e);
      }
      return path.toFile();
    }

    /**
     * Reads the file with the low-level reader: metadata, database type, search tree bounds and the
     * first few records. Adds the first addresses of those records to {@code probes}.
     *
     * @return the database's IP version
     */
    private static int checkFormat(
        File file, String pathText, String option, Kind kind, List<InetAddress> probes) {
      Reader reader;
      try {
        reader = new Reader(file, Reader.FileMode.MEMORY_MAPPED);
      } catch (IOException | RuntimeException e) {
        throw new GeoDatabaseException(
            pathText, option, "not a valid MaxMind DB (.mmdb) file: " + reason(e), e);
      }
      try {
        Metadata metadata = reader.getMetadata();
        String type = metadata.databaseType();
        if (type == null || !type.contains(kind.typeMarker)) {
          throw new GeoDatabaseException(
              pathText, option, "database type is '" + type + "', expected " + kind.expected, null);
        }
        if (metadata.binaryFormatMajorVersion() != 2) {
          throw new GeoDatabaseException(
              pathText,
              option,
              "unsupported MaxMind DB format version "
                  + metadata.binaryFormatMajorVersion()
                  + ", expected 2",
              null);
        }
        checkSearchTreeBounds(file, metadata, pathText, option);
        try {
          @SuppressWarnings("rawtypes")
          Networks<Map> networks = reader.networks(false, Map.class);
          for (int i = 0; i < PROBE_NETWORKS && networks.hasNext(); i++) {
            @SuppressWarnings("rawtypes")
            DatabaseRecord<Map> record = networks.next();
            probes.add(record.network().networkAddress());
          }
        } catch (IOException | InvalidNetworkException | RuntimeException e) {
          throw new GeoDatabaseException(pathText, option, "database is corrupt: " + reason(e), e);
        }
        return metadata.ipVersion();
      } finally {
        try {
          reader.close();
        } catch (IOException ignored) {
          // read-only
        }
      }
    }

    /**
     * The search tree must fit in the file and be followed by the 16-byte zero separator; a wrong
     * node count in the metadata otherwise only shows as failures on some lookups.
     */
    private static void checkSearchTreeBounds(
        File file, Metadata metadata, String pathText, String option) {
      long treeSize = metadata.nodeCount() * metadata.recordSize() / 4;
      try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
        long fileSize = channel.size();
        if (treeSize + 16 > fileSize) {
          throw new GeoDatabaseException(
              pathText,
              option,
              "database is corrupt: the metadata declares "
                  + metadata.nodeCount()
                  + " search tree nodes ("
                  + treeSize
                  + " bytes) but the file has only "
                  + fileSize
                  + " bytes",
              null);
        }
        ByteBuffer separator = ByteBuffer.allocate(16);
        while (separator.hasRemaining()
            && channel.read(separator, treeSize + separator.position()) >= 0) {
          // keep reading
        }
        for (int i = 0; i < separator.position(); i++) {
          if (separator.get(i) != 0) {
            throw new GeoDatabaseException(
                pathText,
                option,
                "database is corrupt: no data section separator after the "
                    + metadata.nodeCount()
                    + "-node search tree (wrong node count in the metadata?)",
                null);
          }
        }
      } catch (IOException e) {
        throw new GeoDatabaseException(pathText, option, "file cannot be read: " + e, e);
      }
    }
  }
}
