package dw.io.lake;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.push.PushRequest;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The push proxy's raw requests in the lake ({@code table=push_proxy_requests}): every push request
 * the pipeline kept, with its deployment and country; the client address through the privacy policy
 * ({@code client_ip_hash}; {@code client_network} and {@code client_ip} only when enabled). Numbers
 * the log has as {@code -}/{@code -1} are null.
 */
public final class PushRequestsLake implements LakeTable<PushRequest> {
  private static final long serialVersionUID = 1L;
  public static final String TABLE = "push_proxy_requests";

  private static final Schema SCHEMA =
      SchemaBuilder.record("PushProxyRequest")
          .namespace("dw.lake")
          .fields()
          .name("event_time").type().longBuilder().prop("logicalType", "timestamp-micros").endLong().noDefault()
          .optionalString("aws_region")
          .optionalString("load_balancer")
          .optionalString("deployment")
          .requiredString("route")
          .optionalString("type")
          .optionalString("protocol")
          .optionalInt("elb_status_code")
          .optionalInt("target_status_code")
          .optionalLong("request_processing_ms")
          .optionalLong("target_processing_ms")
          .optionalLong("response_processing_ms")
          .optionalLong("received_bytes")
          .optionalLong("sent_bytes")
          .optionalString("client_ip_hash")
          .optionalString("client_network")
          .optionalString("client_ip")
          .optionalString("country_iso")
          .optionalString("user_agent")
          .optionalString("trace_id")
          .optionalString("actions_executed")
          .optionalString("error_reason")
          .endRecord();

  @Override
  public String name() {
    return TABLE;
  }

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  @Override
  public long eventTimeMillis(PushRequest r) {
    return r.eventTimeMillis();
  }

  private static Long orNull(long v) {
    return v < 0 ? null : v;
  }

  private static Integer orNull(int v) {
    return v < 0 ? null : v;
  }

  @Override
  public GenericRecord toRecord(PushRequest q, ClientIpPolicy ips) {
    GenericData.Record r = new GenericData.Record(SCHEMA);
    r.put("event_time", q.eventTimeMicros());
    r.put("aws_region", q.awsRegion());
    r.put("load_balancer", q.loadBalancer());
    r.put("deployment", q.deployment());
    r.put("route", q.route().code());
    r.put("type", q.type());
    r.put("protocol", q.protocol());
    r.put("elb_status_code", orNull(q.elbStatus()));
    r.put("target_status_code", orNull(q.targetStatus()));
    r.put("request_processing_ms", orNull(q.requestMillis()));
    r.put("target_processing_ms", orNull(q.targetMillis()));
    r.put("response_processing_ms", orNull(q.responseMillis()));
    r.put("received_bytes", orNull(q.receivedBytes()));
    r.put("sent_bytes", orNull(q.sentBytes()));
    r.put("client_ip_hash", ips.hash(q.clientIp()));
    r.put("client_network", ips.network(q.clientIp()));
    r.put("client_ip", ips.clear(q.clientIp()));
    r.put("country_iso", q.countryIso());
    r.put("user_agent", q.userAgent());
    r.put("trace_id", q.traceId());
    r.put("actions_executed", q.actionsExecuted());
    r.put("error_reason", q.errorReason());
    return r;
  }
}
