package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import dw.transforms.pings.SecurityPingCoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact coder for {@link ServerDay} (accumulator and result of the per-server combine, so it is
 * in Flink state, checkpoints and savepoints). Versioned like {@link SecurityPingCoder} (same
 * format number, the latest ping's fields nested without their own marker): the distinct client
 * IPs are 8-byte fingerprints; the unversioned format before held them as clear text and is
 * refused.
 */
public final class ServerDayCoder extends BlockCoder<ServerDay> {
  private static final ServerDayCoder INSTANCE = new ServerDayCoder();

  public static ServerDayCoder of() {
    return INSTANCE;
  }

  @Override
  public void write(ServerDay d, Writer w) {
    w.writeFormat(SecurityPingCoder.FORMAT);
    w.writeVarLong(d.pings());
    if (d.isEmpty()) {
      return;
    }
    SecurityPingCoder.of().writeFields(d.latest(), w);
    w.writeNullableLong(d.maxActiveUsers());
    w.writeVarLong(d.firstPingMillis());
    w.writeVarLong(d.lastPingMillis());
    w.writeVarInt(d.exclusionMask());
    long[] ips = d.sharedIpFingerprints();
    w.writeVarInt(ips.length);
    for (long ip : ips) {
      w.writeFixedLong(ip);
    }
    writeSet(w, d.sortedVersions());
  }

  @Override
  public ServerDay read(Reader r) throws IOException {
    SecurityPingCoder.checkFormat(r.readFormat(), "server-day");
    long pings = r.readVarLong();
    if (pings == 0) {
      return new ServerDay();
    }
    return new ServerDay(
        SecurityPingCoder.of().readFields(r),
        pings,
        r.readNullableLong(),
        r.readVarLong(),
        r.readVarLong(),
        r.readVarInt(),
        readFingerprints(r),
        readSet(r));
  }

  private static long[] readFingerprints(Reader r) throws IOException {
    int n = r.readVarInt();
    if (n < 0 || n > 1 << 24) {
      throw new org.apache.beam.sdk.coders.CoderException("bad client-IP count " + n);
    }
    long[] ips = new long[n];
    for (int i = 0; i < n; i++) {
      ips[i] = r.readFixedLong();
    }
    return ips;
  }

  private static void writeSet(Writer w, List<String> values) {
    w.writeVarInt(values.size());
    for (String v : values) {
      w.writeCommonString(v);
    }
  }

  private static List<String> readSet(Reader r) throws IOException {
    int n = r.readVarInt();
    List<String> s = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      s.add(r.readCommonString());
    }
    return s;
  }
}
