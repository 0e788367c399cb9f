package dw.transforms.push;

import dw.transforms.common.BlockCoder;
import java.io.IOException;

/**
 * One push request ({@code POST …/api/v1/send_push} or {@code …/api/v1/ack}) from an ALB access log,
 * with its deployment and the client's country. Numbers are -1 where the log has {@code -} or
 * {@code -1}; strings are null for {@code -}. The client address is kept for the lake, which stores
 * it through the privacy policy; no table stores it in clear by default.
 */
public record PushRequest(
    long eventTimeMicros,
    String awsRegion,
    String loadBalancer,
    String deployment,
    PushRoute route,
    String type,
    String protocol,
    int elbStatus,
    int targetStatus,
    long requestMillis,
    long targetMillis,
    long responseMillis,
    long receivedBytes,
    long sentBytes,
    String clientIp,
    String countryIso,
    String userAgent,
    String traceId,
    String actionsExecuted,
    String errorReason) {

  public long eventTimeMillis() {
    return Math.floorDiv(eventTimeMicros, 1000);
  }

  /** Compact coder (no Java serialization, no Kryo). */
  public static final class Coder extends BlockCoder<PushRequest> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(PushRequest v, Writer w) {
      w.writeVarLong(v.eventTimeMicros);
      w.writeString(v.awsRegion);
      w.writeString(v.loadBalancer);
      w.writeString(v.deployment);
      w.writeVarInt(v.route.ordinal());
      w.writeString(v.type);
      w.writeString(v.protocol);
      w.writeVarInt(v.elbStatus + 1);
      w.writeVarInt(v.targetStatus + 1);
      w.writeVarLong(v.requestMillis + 1);
      w.writeVarLong(v.targetMillis + 1);
      w.writeVarLong(v.responseMillis + 1);
      w.writeVarLong(v.receivedBytes + 1);
      w.writeVarLong(v.sentBytes + 1);
      w.writeString(v.clientIp);
      w.writeString(v.countryIso);
      w.writeString(v.userAgent);
      w.writeString(v.traceId);
      w.writeString(v.actionsExecuted);
      w.writeString(v.errorReason);
    }

    @Override
    public PushRequest read(Reader r) throws IOException {
      return new PushRequest(
          r.readVarLong(),
          r.readString(),
          r.readString(),
          r.readString(),
          PushRoute.values()[r.readVarInt()],
          r.readString(),
          r.readString(),
          r.readVarInt() - 1,
          r.readVarInt() - 1,
          r.readVarLong() - 1,
          r.readVarLong() - 1,
          r.readVarLong() - 1,
          r.readVarLong() - 1,
          r.readVarLong() - 1,
          r.readString(),
          r.readString(),
          r.readString(),
          r.readString(),
          r.readString(),
          r.readString());
    }
  }
}
