import type { Db } from '$lib/server/db';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			lang: 'nl' | 'en';
		}
		interface Error {
			message: string;
		}
	}
}

export {};
