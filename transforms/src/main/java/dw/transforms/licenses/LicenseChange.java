package dw.transforms.licenses;

import dw.transforms.common.BlockCoder;
import java.io.IOException;

/**
 * How a license changed between a snapshot and the snapshot before it: {@value #APPEARED} (in this
 * snapshot, not in the previous one), {@value #DISAPPEARED} (the reverse) or {@value
 * #EXPIRY_CHANGED} (in both, with another {@code expiresat}). Expiry times are null where the
 * license is absent.
 */
public record LicenseChange(
    int snapshotEpochDay,
    String licenseId,
    String change,
    int previousSnapshotEpochDay,
    Long previousExpiresAtMillis,
    Long expiresAtMillis) {
  public static final String APPEARED = "appeared";
  public static final String DISAPPEARED = "disappeared";
  public static final String EXPIRY_CHANGED = "expiry_changed";

  /** Compact coder (no Java serialization, no Kryo). */
  public static final class Coder extends BlockCoder<LicenseChange> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(LicenseChange v, Writer w) {
      w.writeVarInt(v.snapshotEpochDay);
      w.writeString(v.licenseId);
      w.writeString(v.change);
      w.writeVarInt(v.previousSnapshotEpochDay);
      w.writeNullableLong(v.previousExpiresAtMillis);
      w.writeNullableLong(v.expiresAtMillis);
    }

    @Override
    public LicenseChange read(Reader r) throws IOException {
      return new LicenseChange(
          r.readVarInt(), r.readString(), r.readString(), r.readVarInt(), r.readNullableLong(),
          r.readNullableLong());
    }
  }
}
