package dw.transforms.releases;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.Comparator;
import java.util.Objects;

/**
 * One download of a release from the download CDN: a {@code GET} with a 2xx status, more than
 * 1 000 000 bytes sent and a version in the URI ({@link ReleaseLines}). The client address is held
 * in clear inside the pipeline only; sinks store it through the client-IP policy.
 */
public record ReleaseDownload(
    String requestId,
    long eventTimeMillis,
    int logEpochDay,
    String uri,
    String downloadType,
    String operatingSystem,
    String version,
    int versionMajor,
    int versionMinor,
    int versionPatch,
    long responseBytes,
    int status,
    String clientIp,
    String countryIso,
    String countryName,
    String subdivisionIso,
    String subdivisionName,
    String city,
    Long asn,
    String userAgent,
    String browserFamily,
    String uaOsFamily,
    boolean bot,
    String referrerHost,
    String edgeLocation) {

  /**
   * The order that picks the copy kept among lines with one request id: the earliest event time,
   * then the remaining fields, so the choice never depends on the order files were read in.
   */
  public static final Comparator<ReleaseDownload> KEEP_ORDER =
      Comparator.comparingLong(ReleaseDownload::eventTimeMillis)
          .thenComparing(ReleaseDownload::uri, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(ReleaseDownload::responseBytes)
          .thenComparing(d -> Objects.toString(d.clientIp(), ""))
          .thenComparing(d -> Objects.toString(d.edgeLocation(), ""))
          .thenComparing(d -> Objects.toString(d.userAgent(), ""))
          .thenComparing(d -> Objects.toString(d.referrerHost(), ""));

  /** Compact coder (no Java serialization, no Kryo). */
  public static final class Coder extends BlockCoder<ReleaseDownload> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(ReleaseDownload d, Writer w) {
      w.writeString(d.requestId);
      w.writeVarLong(d.eventTimeMillis);
      w.writeVarInt(d.logEpochDay);
      w.writeString(d.uri);
      w.writeString(d.downloadType);
      w.writeString(d.operatingSystem);
      w.writeString(d.version);
      w.writeVarInt(d.versionMajor);
      w.writeVarInt(d.versionMinor);
      w.writeVarInt(d.versionPatch);
      w.writeVarLong(d.responseBytes);
      w.writeVarInt(d.status);
      w.writeString(d.clientIp);
      w.writeString(d.countryIso);
      w.writeString(d.countryName);
      w.writeString(d.subdivisionIso);
      w.writeString(d.subdivisionName);
      w.writeString(d.city);
      w.writeNullableLong(d.asn);
      w.writeString(d.userAgent);
      w.writeString(d.browserFamily);
      w.writeString(d.uaOsFamily);
      w.writeBoolean(d.bot);
      w.writeString(d.referrerHost);
      w.writeString(d.edgeLocation);
    }

    @Override
    public ReleaseDownload read(Reader r) throws IOException {
      return new ReleaseDownload(
          r.readString(), r.readVarLong(), r.readVarInt(), r.readString(), r.readString(),
          r.readString(), r.readString(), r.readVarInt(), r.readVarInt(), r.readVarInt(),
          r.readVarLong(), r.readVarInt(), r.readString(), r.readString(), r.readString(),
          r.readString(), r.readString(), r.readString(), r.readNullableLong(), r.readString(),
          r.readString(), r.readString(), r.readBoolean(), r.readString(), r.readString());
    }
  }
}
