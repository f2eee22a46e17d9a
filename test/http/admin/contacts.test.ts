/**
 * Contact lists over HTTP on the real store: admins write (one by one, JSON import, CSV
 * import of 10,000 rows in one request, upsert by E.164 number), hosts and delegates read,
 * and no account sees another's list.
 */
import t from 'tap';
import { buildFixture } from './support/admin-world.ts';

const fx = await buildFixture(t);
const { world, a, b, h1, d1 } = fx;
const admin = { key: a.admin.key };

t.test('an admin adds a contact; the number is stored in E.164 and the same number again updates it', async (t) => {
  const created = await world.call('POST', '/v1/contacts', admin, { number: '+44 20 7946 0001', name: 'Carla Contact', company: 'Acme' });
  t.equal(created.status, 201);
  t.equal(created.body.number, '+442079460001');
  const again = await world.call('POST', '/v1/contacts', admin, { number: '020 7946 0001', name: 'Carla C.', defaultCountry: 'GB' });
  t.equal(again.status, 200, 'an upsert of an existing number');
  t.equal(again.body.id, created.body.id);
  t.equal(again.body.name, 'Carla C.');
  t.equal(again.body.company, null);
});

t.test('bad input is refused naming the field; unknown fields are refused', async (t) => {
  const bad = await world.call('POST', '/v1/contacts', admin, { number: '12', name: 'X' });
  t.equal(bad.status, 400);
  t.match(bad.body.message, /number/);
  const national = await world.call('POST', '/v1/contacts', admin, { number: '020 7946 0002', name: 'No country' });
  t.equal(national.status, 400, 'a national number without defaultCountry');
  const unknown = await world.call('POST', '/v1/contacts', admin, { number: '+442079460003', name: 'X', colour: 'red' });
  t.equal(unknown.status, 400);
});

t.test('hosts and delegates read the list; only admins write it', async (t) => {
  const list = await world.call('GET', '/v1/contacts', { key: h1.key });
  t.equal(list.status, 200);
  t.ok(list.body.items.some((c: { name: string }) => c.name === 'Carla C.'));
  t.equal((await world.call('GET', '/v1/contacts', { key: d1.key })).status, 200);
  t.equal((await world.call('POST', '/v1/contacts', { key: h1.key }, { number: '+442079460004', name: 'Nope' })).status, 403);
  t.equal((await world.call('POST', '/v1/contacts', { key: d1.key }, { number: '+442079460004', name: 'Nope' })).status, 403);
  const id = list.body.items[0].id as string;
  t.equal((await world.call('DELETE', `/v1/contacts/${id}`, { key: h1.key })).status, 403);
});

t.test("another account's contacts are invisible: listed, read, changed or deleted", async (t) => {
  const mine = await world.expect(201, 'POST', '/v1/contacts', admin, { number: '+442079460005', name: 'Only A' });
  const theirs = await world.call('GET', '/v1/contacts', { key: b.admin.key });
  t.notOk(theirs.body.items.some((c: { name: string }) => c.name === 'Only A'));
  t.equal((await world.call('GET', `/v1/contacts/${mine.id as string}`, { key: b.admin.key })).status, 404);
  t.equal((await world.call('PATCH', `/v1/contacts/${mine.id as string}`, { key: b.admin.key }, { name: 'Taken' })).status, 404);
  t.equal((await world.call('DELETE', `/v1/contacts/${mine.id as string}`, { key: b.admin.key })).status, 404);
  t.equal((await world.call('GET', `/v1/contacts?accountId=${a.accountId}`, { key: b.admin.key })).status, 404);
});

t.test('an admin edits and deletes a contact; moving it onto a taken number is a conflict', async (t) => {
  const one = await world.expect(201, 'POST', '/v1/contacts', admin, { number: '+442079460006', name: 'One' });
  const two = await world.expect(201, 'POST', '/v1/contacts', admin, { number: '+442079460007', name: 'Two' });
  const renamed = await world.expect(200, 'PATCH', `/v1/contacts/${one.id as string}`, admin, { name: 'Uno', company: 'First' });
  t.equal(renamed.name, 'Uno');
  t.equal(renamed.number, '+442079460006');
  const clash = await world.call('PATCH', `/v1/contacts/${one.id as string}`, admin, { number: '+442079460007' });
  t.equal(clash.status, 409);
  t.equal(clash.body.code, 'CONTACT_EXISTS');
  await world.expect(204, 'DELETE', `/v1/contacts/${two.id as string}`, admin);
  t.equal((await world.call('GET', `/v1/contacts/${two.id as string}`, admin)).status, 404);
});

t.test('a JSON import upserts by number, all or nothing', async (t) => {
  const ok = await world.expect(200, 'POST', '/v1/contacts/import', admin, {
    contacts: [
      { number: '+442079460101', name: 'Imp One' },
      { number: '+442079460102', name: 'Imp Two', company: 'Co' },
      { number: '+442079460006', name: 'Uno again' },
    ],
  });
  t.same(ok, { created: 2, updated: 1 });
  const broken = await world.call('POST', '/v1/contacts/import', admin, {
    contacts: [
      { number: '+442079460103', name: 'Would be new' },
      { number: 'not a number', name: 'Bad row' },
    ],
  });
  t.equal(broken.status, 400);
  t.match(broken.body.message, /body\/contacts\/1\/number/, 'the bad row is named');
  const search = await world.expect(200, 'GET', '/v1/contacts?q=Would', admin);
  t.same(search.items, [], 'nothing of the refused import was kept');
});

t.test('a CSV import of 10,000 rows in one request, then listed a page at a time', async (t) => {
  t.setTimeout(60_000);
  const lines = ['Name,Phone Number,Company,Notes'];
  for (let i = 0; i < 10_000; i += 1) lines.push(`"Bulk ${String(i).padStart(5, '0')}, Jr",+1 212 555 ${String(i).padStart(4, '0')},Bulk Co,ignored`);
  const csv = lines.join('\r\n');
  const res = await world.call('POST', '/v1/contacts/import', { ...admin, headers: { 'content-type': 'text/csv' } }, csv);
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.same(res.body, { created: 10_000, updated: 0 });
  const first = await world.expect(200, 'GET', '/v1/contacts?q=Bulk&limit=200', admin);
  t.equal(first.items.length, 200);
  t.equal(first.items[0].name, 'Bulk 00000, Jr', 'quoted commas survive');
  t.equal(first.items[0].number, '+12125550000');
  let seen = (first.items as unknown[]).length;
  let cursor: string | null = first.nextCursor;
  for (let pages = 0; cursor !== null && pages < 100; pages += 1) {
    const page = await world.expect(200, 'GET', `/v1/contacts?q=Bulk&limit=200&cursor=${encodeURIComponent(cursor)}`, admin);
    seen += (page.items as unknown[]).length;
    cursor = page.nextCursor;
  }
  t.equal(seen, 10_000, 'every row is listed once');
  const again = await world.call('POST', '/v1/contacts/import', { ...admin, headers: { 'content-type': 'text/csv' } }, csv);
  t.same(again.body, { created: 0, updated: 10_000 }, 'importing the same file again updates');
});

t.test('more than 10,000 rows, or a CSV without the number column, is refused', async (t) => {
  const rows = Array.from({ length: 10_001 }, (_, i) => ({ number: `+1212556${String(i % 10_000).padStart(4, '0')}`, name: `N${i}` }));
  t.equal((await world.call('POST', '/v1/contacts/import', admin, { contacts: rows })).status, 400);
  const noNumber = await world.call('POST', '/v1/contacts/import', { ...admin, headers: { 'content-type': 'text/csv' } }, 'name\nAlice\n');
  t.equal(noNumber.status, 400);
  t.match(noNumber.body.message, /number/);
  const plain = await world.call('POST', '/v1/contacts/import', { ...admin, headers: { 'content-type': 'text/plain' } }, 'number,name\n+442079460999,X\n');
  t.equal(plain.status, 400, 'CSV must say it is CSV');
});

t.test("imports and edits are audited without the numbers", async (t) => {
  const audit = await world.expect(200, 'GET', '/v1/audit?limit=200', admin);
  const actions = new Set(audit.items.map((e: { action: string }) => e.action));
  t.ok(actions.has('contacts.imported'));
  t.ok(actions.has('contact.created'));
  t.notMatch(JSON.stringify(audit.items), /2079460|2125550/, 'no contact number in the audit log');
});
