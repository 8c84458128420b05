import { config } from '../config.ts';
import type { Db } from '../db/types.ts';
import { deliverDue, purgeExpired, queueOverviews, smtpTransport, type Transport } from './send.ts';

/**
 * The sender loop of a server process: every WIJKKAART_MAIL_INTERVAL_SECONDS it erases expired
 * addresses, queues subscription overviews and, when WIJKKAART_SMTP_URL is set, sends what is
 * due. Without SMTP the outbox simply keeps its rows until a sender is configured.
 */
export async function mailTick(db: Db, transport: Transport | null): Promise<void> {
	const cfg = config();
	await purgeExpired(db, cfg);
	await queueOverviews(db, cfg);
	if (transport) await deliverDue(db, transport, cfg);
}

let timer: NodeJS.Timeout | null = null;

export function startMailer(db: Db): void {
	if (timer) return;
	const cfg = config();
	const transport = cfg.smtpUrl ? smtpTransport(cfg.smtpUrl) : null;
	if (!transport)
		console.log('[mail] WIJKKAART_SMTP_URL niet gezet: e-mail blijft in de outbox staan.');
	let busy = false;
	const tick = async () => {
		if (busy) return;
		busy = true;
		try {
			await mailTick(db, transport);
		} catch (err) {
			// A failing tick (store briefly away) is tried again next time; it never touches a request.
			console.error('[mail]', (err as Error).message);
		} finally {
			busy = false;
		}
	};
	timer = setInterval(tick, cfg.mailIntervalSeconds * 1000);
	timer.unref();
	setTimeout(tick, 1000).unref();
	process.once('sveltekit:shutdown', () => {
		if (timer) clearInterval(timer);
		timer = null;
		transport?.close();
	});
}
