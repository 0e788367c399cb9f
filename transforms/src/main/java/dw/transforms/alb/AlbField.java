package dw.transforms.alb;

/**
 * The documented fields of an Application Load Balancer access-log entry, in their order on the
 * line (AWS, "Access log entries for your Application Load Balancer"). Quoted fields are marked;
 * fields after {@link #CLASSIFICATION_REASON} were added later and may be absent in older files;
 * fields AWS appends after the last one known here are tolerated and ignored.
 */
public enum AlbField {
  TYPE("type", false),
  TIME("time", false),
  ELB("elb", false),
  CLIENT_PORT("client:port", false),
  TARGET_PORT("target:port", false),
  REQUEST_PROCESSING_TIME("request_processing_time", false),
  TARGET_PROCESSING_TIME("target_processing_time", false),
  RESPONSE_PROCESSING_TIME("response_processing_time", false),
  ELB_STATUS_CODE("elb_status_code", false),
  TARGET_STATUS_CODE("target_status_code", false),
  RECEIVED_BYTES("received_bytes", false),
  SENT_BYTES("sent_bytes", false),
  REQUEST("request", true),
  USER_AGENT("user_agent", true),
  SSL_CIPHER("ssl_cipher", false),
  SSL_PROTOCOL("ssl_protocol", false),
  TARGET_GROUP_ARN("target_group_arn", false),
  TRACE_ID("trace_id", true),
  DOMAIN_NAME("domain_name", true),
  CHOSEN_CERT_ARN("chosen_cert_arn", true),
  MATCHED_RULE_PRIORITY("matched_rule_priority", false),
  REQUEST_CREATION_TIME("request_creation_time", false),
  ACTIONS_EXECUTED("actions_executed", true),
  REDIRECT_URL("redirect_url", true),
  ERROR_REASON("error_reason", true),
  TARGET_PORT_LIST("target:port_list", true),
  TARGET_STATUS_CODE_LIST("target_status_code_list", true),
  CLASSIFICATION("classification", true),
  CLASSIFICATION_REASON("classification_reason", true),
  CONN_TRACE_ID("conn_trace_id", false),
  TRANSFORMED_HOST("transformed_host", true),
  TRANSFORMED_URI("transformed_uri", true),
  REQUEST_TRANSFORM_STATUS("request_transform_status", true);

  /** Fields every entry has: up to {@code error_reason} (the oldest current format). */
  public static final int REQUIRED = ERROR_REASON.ordinal() + 1;

  private final String docName;
  private final boolean quoted;

  AlbField(String docName, boolean quoted) {
    this.docName = docName;
    this.quoted = quoted;
  }

  /** The name AWS documents. */
  public String docName() {
    return docName;
  }

  /** Whether AWS writes the field in double quotes. */
  public boolean quoted() {
    return quoted;
  }
}
