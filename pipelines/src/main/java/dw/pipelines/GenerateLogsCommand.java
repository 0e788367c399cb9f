package dw.pipelines;

import dw.pipelines.generate.GenerateCommand;

/** {@code generate}: realistic logs of a data set plus their ground truth ({@link GenerateCommand}). */
final class GenerateLogsCommand implements Main.Command {
  @Override
  public String description() {
    return "write realistic logs and their ground truth (--dataset=security-pings|push-proxy|releases|licenses)";
  }

  @Override
  public int run(String[] args) throws Exception {
    return GenerateCommand.execute(args, System.out);
  }
}
