package dev.conduit.chan.spi;

/** One case of a waiting select: an entry on one channel, owned by the select's one waiter. */
final class SelectEntry extends WaitEntry {
    private final Waiter waiter;
    private final int caseIndex;

    SelectEntry(Waiter waiter, ChannelLock source, int caseIndex, boolean send, Object element) {
        super(source, send, element);
        this.waiter = waiter;
        this.caseIndex = caseIndex;
    }

    @Override
    Waiter waiter() {
        return waiter;
    }

    @Override
    int caseIndex() {
        return caseIndex;
    }
}
