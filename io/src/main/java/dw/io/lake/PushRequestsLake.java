package dw.io.lake;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.push.PushRequest;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The push proxy's raw requests in the lake ({@code table=push_proxy_requests}): every push request
 * the pipeline kept, with its deployment and country; the client address through the privacy policy
 * ({@code client_ip_hash}; {@code client_network} and {@code client_ip} only when enabled). Numbers
 * the log has as {@code -}/{@code -1} are null. Schema and records from {@link PushRequest#FIELDS}.
 */
public final class PushRequestsLake implements LakeTable<PushRequest> {
  private static final long serialVersionUID = 1L;
  public static final String TABLE = "push_proxy_requests";

  private static final Schema SCHEMA = AvroFields.schema("PushProxyRequest", "dw.lake", null, PushRequest.FIELDS);

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

  @Override
  public GenericRecord toRecord(PushRequest q, ClientIpPolicy ips) {
    return AvroFields.record(SCHEMA, PushRequest.FIELDS, q, ips);
  }
}
