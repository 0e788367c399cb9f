package dw.transforms.push;

import dw.transforms.common.BlockCoder;
import java.io.IOException;

/** One row of {@code push_proxy_hourly_by_country}. */
public record PushCountryHour(
    long hourStartMillis, String deployment, PushRoute route, String countryIso, long requests, long answered) {

  public static final class Coder extends BlockCoder<PushCountryHour> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(PushCountryHour v, Writer w) {
      w.writeVarLong(v.hourStartMillis / PushHour.HOUR_MS);
      w.writeString(v.deployment);
      w.writeVarInt(v.route.ordinal());
      w.writeString(v.countryIso);
      w.writeVarLong(v.requests);
      w.writeVarLong(v.answered);
    }

    @Override
    public PushCountryHour read(Reader r) throws IOException {
      return new PushCountryHour(
          r.readVarLong() * PushHour.HOUR_MS,
          r.readString(),
          PushRoute.values()[r.readVarInt()],
          r.readString(),
          r.readVarLong(),
          r.readVarLong());
    }
  }
}
