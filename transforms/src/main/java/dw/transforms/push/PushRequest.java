package dw.transforms.push;

import static dw.transforms.common.RecordField.Type.INT;
import static dw.transforms.common.RecordField.Type.LONG;
import static dw.transforms.common.RecordField.Type.STRING;
import static dw.transforms.common.RecordField.Type.TIMESTAMP_MICROS;

import dw.transforms.common.BlockCoder;
import dw.transforms.common.RecordField;
import java.io.IOException;
import java.util.List;

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

  /**
   * The request's fields as the lake stores them ({@code push_proxy_requests}), once, in the lake's
   * order: numbers the log has as {@code -}/{@code -1} are null, the client address goes through
   * the privacy policy (its keyed hash; network and clear text only when enabled).
   */
  public static final List<RecordField<PushRequest>> FIELDS =
      List.of(
          RecordField.required("event_time", TIMESTAMP_MICROS, PushRequest::eventTimeMicros),
          RecordField.optional("aws_region", STRING, PushRequest::awsRegion),
          RecordField.optional("load_balancer", STRING, PushRequest::loadBalancer),
          RecordField.optional("deployment", STRING, PushRequest::deployment),
          RecordField.required("route", STRING, q -> q.route().code()),
          RecordField.optional("type", STRING, PushRequest::type),
          RecordField.optional("protocol", STRING, PushRequest::protocol),
          RecordField.optional("elb_status_code", INT, q -> orNull(q.elbStatus())),
          RecordField.optional("target_status_code", INT, q -> orNull(q.targetStatus())),
          RecordField.optional("request_processing_ms", LONG, q -> orNull(q.requestMillis())),
          RecordField.optional("target_processing_ms", LONG, q -> orNull(q.targetMillis())),
          RecordField.optional("response_processing_ms", LONG, q -> orNull(q.responseMillis())),
          RecordField.optional("received_bytes", LONG, q -> orNull(q.receivedBytes())),
          RecordField.optional("sent_bytes", LONG, q -> orNull(q.sentBytes())),
          RecordField.<PushRequest>optional("client_ip_hash", STRING, PushRequest::clientIp)
              .throughPolicy((ip, ips) -> ips.hash((String) ip)),
          RecordField.<PushRequest>optional("client_network", STRING, PushRequest::clientIp)
              .throughPolicy((ip, ips) -> ips.network((String) ip)),
          RecordField.<PushRequest>optional("client_ip", STRING, PushRequest::clientIp)
              .throughPolicy((ip, ips) -> ips.clear((String) ip)),
          RecordField.optional("country_iso", STRING, PushRequest::countryIso),
          RecordField.optional("user_agent", STRING, PushRequest::userAgent),
          RecordField.optional("trace_id", STRING, PushRequest::traceId),
          RecordField.optional("actions_executed", STRING, PushRequest::actionsExecuted),
          RecordField.optional("error_reason", STRING, PushRequest::errorReason));

  private static Long orNull(long v) {
    return v < 0 ? null : v;
  }

  private static Integer orNull(int v) {
    return v < 0 ? null : v;
  }

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
