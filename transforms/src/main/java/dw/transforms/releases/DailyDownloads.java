package dw.transforms.releases;

import dw.geo.IpAddresses;
import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The downloads of one UTC day per (download type, OS, version, country): number of downloads,
 * distinct clients (distinct client addresses, compared in canonical form, so exactly the distinct
 * client IP hashes) and bytes sent. Country {@value #UNKNOWN_COUNTRY} when GeoIP had none.
 */
public record DailyDownloads(int logEpochDay, List<Row> rows) {
  public static final String UNKNOWN_COUNTRY = "unknown";

  /** One breakdown of a day. */
  public record Row(
      String downloadType,
      String operatingSystem,
      String version,
      String countryIso,
      long downloads,
      long distinctClients,
      long bytes) {}

  /** Aggregates one day's de-duplicated downloads (rows sorted by their key). */
  public static DailyDownloads of(int day, Iterable<ReleaseDownload> downloads) {
    Map<List<String>, long[]> sums = new TreeMap<>(DailyDownloads::compareKeys);
    Map<List<String>, Set<String>> clients = new TreeMap<>(DailyDownloads::compareKeys);
    for (ReleaseDownload d : downloads) {
      if (d.logEpochDay() != day) {
        throw new IllegalArgumentException("download " + d.requestId() + " is not of day " + day);
      }
      List<String> key =
          List.of(
              d.downloadType(),
              d.operatingSystem(),
              d.version(),
              d.countryIso() == null ? UNKNOWN_COUNTRY : d.countryIso());
      long[] s = sums.computeIfAbsent(key, k -> new long[2]);
      s[0]++;
      s[1] += d.responseBytes();
      clients.computeIfAbsent(key, k -> new HashSet<>()).add(clientKey(d.clientIp()));
    }
    List<Row> rows = new ArrayList<>(sums.size());
    for (Map.Entry<List<String>, long[]> e : sums.entrySet()) {
      List<String> k = e.getKey();
      rows.add(
          new Row(
              k.get(0), k.get(1), k.get(2), k.get(3), e.getValue()[0], clients.get(k).size(),
              e.getValue()[1]));
    }
    return new DailyDownloads(day, rows);
  }

  /** The canonical address (hex of its bytes) or, for a value that is no address, the text. */
  private static String clientKey(String ip) {
    byte[] a = IpAddresses.canonical(ip);
    return a == null ? "text:" + Objects.toString(ip, "") : java.util.HexFormat.of().formatHex(a);
  }

  private static int compareKeys(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Compact coder (no Java serialization, no Kryo). */
  public static final class Coder extends BlockCoder<DailyDownloads> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(DailyDownloads v, Writer w) {
      w.writeVarInt(v.logEpochDay);
      w.writeVarInt(v.rows.size());
      for (Row r : v.rows) {
        w.writeString(r.downloadType);
        w.writeString(r.operatingSystem);
        w.writeString(r.version);
        w.writeString(r.countryIso);
        w.writeVarLong(r.downloads);
        w.writeVarLong(r.distinctClients);
        w.writeVarLong(r.bytes);
      }
    }

    @Override
    public DailyDownloads read(Reader r) throws IOException {
      int day = r.readVarInt();
      int n = r.readVarInt();
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(
            new Row(
                r.readString(), r.readString(), r.readString(), r.readString(), r.readVarLong(),
                r.readVarLong(), r.readVarLong()));
      }
      return new DailyDownloads(day, rows);
    }
  }
}
