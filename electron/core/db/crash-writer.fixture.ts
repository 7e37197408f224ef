// Child process for crash.test.ts: writes batches of messages, each in one transaction, and
// announces "MID <n>" on stdout halfway through a batch, then keeps writing slowly so the
// parent can SIGKILL it inside the transaction.
import { openDatabase } from './open';
import { ensureConversation } from './repos/conversations';
import { insertMessage } from './repos/messages';

const [file, batchSizeArg, killBatchArg] = process.argv.slice(2);
const batchSize = Number(batchSizeArg);
const killBatch = Number(killBatchArg);
const db = openDatabase(file!);
const conv = ensureConversation(db, { channel: 'email', kind: 'email', externalId: 'crash-thread', now: 1 });

for (let b = 0; ; b++) {
  db.transaction(() => {
    for (let i = 0; i < batchSize; i++) {
      insertMessage(db, {
        conversationId: conv,
        channel: 'email',
        kind: 'email',
        externalId: `b${b}-m${i}@crash.test`,
        direction: 'in',
        sentAt: b * 1000 + i,
        subject: `batch ${b}`,
        text: `message ${i} of batch ${b} with some words to index for search`,
        now: 1,
      });
      if (b === killBatch && i === Math.floor(batchSize / 2)) {
        process.stdout.write(`MID ${b}\n`);
        // Stay inside the transaction until killed.
        const until = Date.now() + 30_000;
        while (Date.now() < until) {
          /* busy wait: the parent kills us here */
        }
      }
    }
  })();
  process.stdout.write(`DONE ${b}\n`);
}
