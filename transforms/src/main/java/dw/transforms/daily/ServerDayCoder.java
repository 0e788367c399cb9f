package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import dw.transforms.pings.SecurityPingCoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Compact coder for {@link ServerDay} (accumulator and result of the per-server combine). */
public final class ServerDayCoder extends BlockCoder<ServerDay> {
  private static final ServerDayCoder INSTANCE = new ServerDayCoder();

  public static ServerDayCoder of() {
    return INSTANCE;
  }

  @Override
  public void write(ServerDay d, Writer w) {
    w.writeVarLong(d.pings());
    if (d.isEmpty()) {
      return;
    }
    SecurityPingCoder.of().write(d.latest(), w);
    w.writeNullableLong(d.maxActiveUsers());
    w.writeVarLong(d.firstPingMillis());
    w.writeVarLong(d.lastPingMillis());
    w.writeVarInt(d.exclusionMask());
    writeSet(w, d.sortedIps(), false);
    writeSet(w, d.sortedVersions(), true);
  }

  @Override
  public ServerDay read(Reader r) throws IOException {
    long pings = r.readVarLong();
    if (pings == 0) {
      return new ServerDay();
    }
    return new ServerDay(
        SecurityPingCoder.of().read(r),
        pings,
        r.readNullableLong(),
        r.readVarLong(),
        r.readVarLong(),
        r.readVarInt(),
        readSet(r, false),
        readSet(r, true));
  }

  private static void writeSet(Writer w, List<String> values, boolean common) {
    w.writeVarInt(values.size());
    for (String v : values) {
      if (common) {
        w.writeCommonString(v);
      } else {
        w.writeString(v);
      }
    }
  }

  private static List<String> readSet(Reader r, boolean common) throws IOException {
    int n = r.readVarInt();
    List<String> s = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      s.add(common ? r.readCommonString() : r.readString());
    }
    return s;
  }
}
