package dw.transforms.licenses;

import dw.transforms.common.BlockCoder;
import java.io.IOException;

/**
 * A license over every snapshot read: the values of its latest snapshot, the first and last
 * snapshot dates it appears in, and whether it is in the latest snapshot of all.
 */
public record LicenseState(
    LicenseRow latest, int firstSeenEpochDay, int lastSeenEpochDay, boolean inLatestSnapshot) {

  /** Compact coder (no Java serialization, no Kryo). */
  public static final class Coder extends BlockCoder<LicenseState> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(LicenseState v, Writer w) {
      LicenseRow.Coder.of().write(v.latest, w);
      w.writeVarInt(v.firstSeenEpochDay);
      w.writeVarInt(v.lastSeenEpochDay);
      w.writeBoolean(v.inLatestSnapshot);
    }

    @Override
    public LicenseState read(Reader r) throws IOException {
      return new LicenseState(
          LicenseRow.Coder.of().read(r), r.readVarInt(), r.readVarInt(), r.readBoolean());
    }
  }
}
