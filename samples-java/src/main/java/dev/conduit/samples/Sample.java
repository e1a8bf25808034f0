package dev.conduit.samples;

import java.io.PrintStream;

/** One runnable pattern: the Tour runs each in turn, and each class's {@code main} runs it alone. */
interface Sample {
    /** A short title for the tour's heading. */
    String title();

    /**
     * Runs the pattern, printing what happens to {@code out}.
     *
     * @throws Exception if the pattern fails; the tour then stops with that failure
     */
    void run(PrintStream out) throws Exception;
}
