package dw.transforms.daily;

import dw.transforms.common.Codec;
import dw.transforms.pings.SecurityPingCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Compact coder for {@link ServerDay} (accumulator and result of the per-server combine). */
public final class ServerDayCoder extends AtomicCoder<ServerDay> {
  private static final ServerDayCoder INSTANCE = new ServerDayCoder();

  public static ServerDayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ServerDay d, OutputStream out) throws IOException {
    Codec.writeVarLong(out, d.pings());
    if (d.isEmpty()) {
      return;
    }
    SecurityPingCoder.of().encode(d.latest(), out);
    Codec.writeNullableLong(out, d.maxActiveUsers());
    Codec.writeVarLong(out, d.firstPingMillis());
    Codec.writeVarLong(out, d.lastPingMillis());
    Codec.writeVarInt(out, d.exclusionMask());
    writeSet(out, d.sortedIps());
    writeSet(out, d.sortedVersions());
  }

  @Override
  public ServerDay decode(InputStream in) throws IOException {
    long pings = Codec.readVarLong(in);
    if (pings == 0) {
      return new ServerDay();
    }
    return new ServerDay(
        SecurityPingCoder.of().decode(in),
        pings,
        Codec.readNullableLong(in),
        Codec.readVarLong(in),
        Codec.readVarLong(in),
        Codec.readVarInt(in),
        readSet(in),
        readSet(in));
  }

  private static void writeSet(OutputStream out, Iterable<String> values) throws IOException {
    int n = 0;
    for (String ignored : values) {
      n++;
    }
    Codec.writeVarInt(out, n);
    for (String v : values) {
      Codec.writeString(out, v);
    }
  }

  private static Set<String> readSet(InputStream in) throws IOException {
    int n = Codec.readVarInt(in);
    Set<String> s = new HashSet<>(Math.max(4, n * 2));
    for (int i = 0; i < n; i++) {
      s.add(Codec.readString(in));
    }
    return s;
  }

  @Override
  public void verifyDeterministic() {}
}
