package dw.transforms.push;

import dw.transforms.common.BlockCoder;
import java.io.IOException;

/** One row of {@code push_proxy_hourly}: the aggregate of an (hour, deployment, route). */
public record PushHour(long hourStartMillis, String deployment, PushRoute route, PushHourStats stats) {
  public static final long HOUR_MS = 3_600_000L;

  public long hourEndMillis() {
    return hourStartMillis + HOUR_MS;
  }

  public static final class Coder extends BlockCoder<PushHour> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(PushHour v, Writer w) {
      w.writeVarLong(v.hourStartMillis / HOUR_MS);
      w.writeString(v.deployment);
      w.writeVarInt(v.route.ordinal());
      PushHourStats.Coder.of().write(v.stats, w);
    }

    @Override
    public PushHour read(Reader r) throws IOException {
      return new PushHour(
          r.readVarLong() * HOUR_MS,
          r.readString(),
          PushRoute.values()[r.readVarInt()],
          PushHourStats.Coder.of().read(r));
    }
  }
}
