package dw.pipelines;

import dw.pipelines.generate.GenerateCommand;

/** {@code generate}: realistic CloudFront security-ping logs plus their ground truth. */
final class GenerateLogsCommand implements Main.Command {
  @Override
  public String description() {
    return "write realistic CloudFront security-ping logs and their ground truth for a date range";
  }

  @Override
  public int run(String[] args) throws Exception {
    return GenerateCommand.run(args);
  }
}
