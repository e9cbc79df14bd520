package org.optim4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Without a terminal, progress is plain lines, at most one per interval, none for the last batch. */
class ProgressTest {
  @Test
  void plainLinesWhenNotATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Progress p = Progress.forConsole(err, 0);   // the test JVM has no console
    p.start("Epoch 1/2", 3);
    p.update(1, 0.5, 1000);
    p.update(2, 0.25, 2000);
    p.update(3, 0.125, 3000);
    p.finish();
    assertEquals("Epoch 1/2: batch 1/3 - loss 0.5000 - 1000 samples/s\n"
        + "Epoch 1/2: batch 2/3 - loss 0.2500 - 2000 samples/s\n", bytes.toString(StandardCharsets.UTF_8));

    bytes.reset();
    Progress slow = Progress.forConsole(err, 3600);
    slow.start("Epoch 2/2", 3);
    slow.update(1, 0.5, 1000);
    slow.finish();
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }
}
