// Commands of the geo group, as Redis 7.0's geo.c: geo sets are sorted sets scored by a 52-bit
// geohash (keyspace/geohash.ts). GEOADD runs as the ZADD it builds and propagates that ZADD,
// like Redis's replaceClientCommandVector; the search stores propagate as received.

import type { CommandContext } from '../context';
import { command, type CommandSpec } from './table';
import { isZSet, type ZSetValue } from '../keyspace/values';
import { SortedSet } from '../keyspace/sorted-set';
import { lookupTyped, markDirty, notify, syntaxError, WRONGTYPE } from './util';
import { NOTIFY_GENERIC, NOTIFY_ZSET } from '../keyspace-events';
import { ERR_NOT_FLOAT, ERR_NOT_INTEGER } from '../errors';
import { parseDouble, parseInt64 } from '../resp/numbers';
import { zaddGeneric } from './zsets';
import { zsetLimits } from './zset-args';
import {
  cellBits,
  cellScoreRange,
  decodeScore,
  distanceInShape,
  geoDistance,
  geoScore,
  searchCells,
  standardGeohash,
  validLongLat,
  type GeoShape,
} from '../keyspace/geohash';
import { formatHumanDouble, formatFixed } from './geo-format';

const ERR_UNIT = 'ERR unsupported unit provided. please use M, KM, FT, MI';
const ERR_DECODE_MEMBER = 'ERR could not decode requested zset member';

function geoRead(client: CommandContext, key: string): ZSetValue | undefined | typeof WRONGTYPE {
  return lookupTyped(client, key, isZSet);
}

function doubleArg(client: CommandContext, text: string, error = ERR_NOT_FLOAT): number | null {
  const value = parseDouble(text);
  if (value === null) client.reply.error(error);
  return value;
}

/** A longitude/latitude pair from two arguments; replies the error Redis gives otherwise. */
function longLatArgs(client: CommandContext, lonText: string, latText: string): [number, number] | null {
  const lon = doubleArg(client, lonText);
  if (lon === null) return null;
  const lat = doubleArg(client, latText);
  if (lat === null) return null;
  if (!validLongLat(lon, lat)) {
    client.reply.error(`ERR invalid longitude,latitude pair ${formatFixed(lon, 6)},${formatFixed(lat, 6)}`);
    return null;
  }
  return [lon, lat];
}

function unitArg(client: CommandContext, text: string): number | null {
  switch (text.toLowerCase()) {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
    default:
      client.reply.error(ERR_UNIT);
      return null;
  }
}

function geoadd(client: CommandContext, args: string[]): void {
  let lonIndex = 2;
  let nx = false;
  let xx = false;
  for (; lonIndex < args.length; lonIndex++) {
    const option = args[lonIndex].toLowerCase();
    if (option === 'nx') nx = true;
    else if (option === 'xx') xx = true;
    else if (option !== 'ch') break;
  }
  if ((args.length - lonIndex) % 3 !== 0 || (nx && xx)) return syntaxError(client);
  const zaddArgs = ['zadd', ...args.slice(1, lonIndex)];
  for (let i = lonIndex; i < args.length; i += 3) {
    const point = longLatArgs(client, args[i], args[i + 1]);
    if (!point) return;
    zaddArgs.push(geoScore(point[0], point[1]).toString(), args[i + 2]);
  }
  client.server.propagation.rewrite(client.dbIndex, zaddArgs);
  zaddGeneric(client, zaddArgs, false);
}

function replyCoordinate(client: CommandContext, value: number): void {
  const text = formatHumanDouble(value);
  if (client.reply.resp === 3) client.reply.raw(',' + text + '\r\n');
  else client.reply.bulk(text);
}

function geopos(client: CommandContext, args: string[]): void {
  const zset = geoRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  client.reply.arrayHeader(args.length - 2);
  for (let j = 2; j < args.length; j++) {
    const score = zset?.score(args[j]);
    if (score === undefined) {
      client.reply.nullArray();
      continue;
    }
    const [lon, lat] = decodeScore(score);
    client.reply.arrayHeader(2);
    replyCoordinate(client, lon);
    replyCoordinate(client, lat);
  }
}

function geohash(client: CommandContext, args: string[]): void {
  const zset = geoRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  client.reply.arrayHeader(args.length - 2);
  for (let j = 2; j < args.length; j++) {
    const score = zset?.score(args[j]);
    if (score === undefined) client.reply.nullBulk();
    else client.reply.bulk(standardGeohash(score));
  }
}

function geodist(client: CommandContext, args: string[]): void {
  let toMeters = 1;
  if (args.length === 5) {
    const unit = unitArg(client, args[4]);
    if (unit === null) return;
    toMeters = unit;
  } else if (args.length > 5) {
    return syntaxError(client);
  }
  const zset = geoRead(client, args[1]);
  if (zset === WRONGTYPE) return;
  const score1 = zset?.score(args[2]);
  const score2 = zset?.score(args[3]);
  if (score1 === undefined || score2 === undefined) return client.reply.nullBulk();
  const [lon1, lat1] = decodeScore(score1);
  const [lon2, lat2] = decodeScore(score2);
  client.reply.bulk(formatFixed(geoDistance(lon1, lat1, lon2, lat2) / toMeters, 4));
}

type SearchKind = 'radius' | 'radiusbymember' | 'search' | 'searchstore';

interface GeoPoint {
  member: string;
  score: number;
  lon: number;
  lat: number;
  dist: number;
}

/** Members of one cell's score range inside the shape, in score order, stopping at `limit` results. */
function pointsInCell(zset: ZSetValue, min: number, max: number, shape: GeoShape, found: GeoPoint[], limit: number): void {
  const [first, last] = zset.scoreRangeRanks({ min, max, minExclusive: false, maxExclusive: true });
  if (first > last) return;
  zset.walk(first, false, (member, score) => {
    if (score >= max) return false;
    const [lon, lat] = decodeScore(score);
    const dist = distanceInShape(shape, lon, lat);
    if (dist !== null) found.push({ member, score, lon, lat, dist });
    return !(limit > 0 && found.length >= limit);
  });
}

function searchShape(zset: ZSetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = searchCells(shape);
  const found: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (!cell) continue;
    const previous = cells[lastProcessed];
    // Large radii make neighbours coincide: Redis skips a cell equal to the one scanned before.
    if (lastProcessed && previous && cellBits(cell) === cellBits(previous) && cell.step === previous.step) continue;
    if (limit > 0 && found.length >= limit) break;
    const [min, max] = cellScoreRange(cell);
    pointsInCell(zset, min, max, shape, found, limit);
    lastProcessed = i;
  }
  return found;
}

interface ShapeParts {
  lon?: number;
  lat?: number;
  conversion?: number;
  radius?: number;
  width?: number;
  height?: number;
}

function georadiusGeneric(client: CommandContext, args: string[], kind: SearchKind, noStore: boolean): void {
  const srcKey = kind === 'searchstore' ? args[2] : args[1];
  const zset = geoRead(client, srcKey);
  if (zset === WRONGTYPE) return;
  const isSearch = kind === 'search' || kind === 'searchstore';
  const parts: ShapeParts = {};
  let box = false;
  let baseArgs: number;
  let storeKey: string | null = null;
  let storeDist = false;

  if (kind === 'radius') {
    baseArgs = 6;
    const point = longLatArgs(client, args[2], args[3]);
    if (!point) return;
    [parts.lon, parts.lat] = point;
    if (!distanceArgs(client, args[4], args[5], parts)) return;
  } else if (kind === 'radiusbymember') {
    baseArgs = 5;
    if (zset) {
      const score = zset.score(args[2]);
      if (score === undefined) return client.reply.error(ERR_DECODE_MEMBER);
      [parts.lon, parts.lat] = decodeScore(score);
      if (!distanceArgs(client, args[3], args[4], parts)) return;
    }
  } else {
    baseArgs = kind === 'searchstore' ? 3 : 2;
    if (kind === 'searchstore') storeKey = args[1];
  }

  let withDist = false;
  let withHash = false;
  let withCoord = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort: 'none' | 'asc' | 'desc' = 'none';
  let any = false;
  let count = 0;
  const remaining = args.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = args[at].toLowerCase();
    if (arg === 'withdist') withDist = true;
    else if (arg === 'withhash') withHash = true;
    else if (arg === 'withcoord') withCoord = true;
    else if (arg === 'any') any = true;
    else if (arg === 'asc') sort = 'asc';
    else if (arg === 'desc') sort = 'desc';
    else if (arg === 'count' && i + 1 < remaining) {
      const value = parseInt64(args[at + 1]);
      if (value === null) return client.reply.error(ERR_NOT_INTEGER);
      if (value <= 0) return client.reply.error('ERR COUNT must be > 0');
      count = Number(value);
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !noStore && !isSearch) {
      storeKey = args[at + 1];
      storeDist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && kind === 'searchstore') {
      storeDist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && isSearch && !fromLoc) {
      if (zset) {
        const score = zset.score(args[at + 1]);
        if (score === undefined) return client.reply.error(ERR_DECODE_MEMBER);
        [parts.lon, parts.lat] = decodeScore(score);
      }
      fromMember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && isSearch && !fromMember) {
      const point = longLatArgs(client, args[at + 1], args[at + 2]);
      if (!point) return;
      [parts.lon, parts.lat] = point;
      fromLoc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && isSearch && !byBox) {
      if (!distanceArgs(client, args[at + 1], args[at + 2], parts)) return;
      box = false;
      byRadius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && isSearch && !byRadius) {
      if (!boxArgs(client, args[at + 1], args[at + 2], args[at + 3], parts)) return;
      box = true;
      byBox = true;
      i += 3;
    } else {
      return syntaxError(client);
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoord)) {
    const what = kind === 'searchstore' ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    return client.reply.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (isSearch && !(fromMember || fromLoc)) {
    return client.reply.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${args[0]}`);
  }
  if (isSearch && !(byRadius || byBox)) {
    return client.reply.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${args[0]}`);
  }
  if (any && !count) return client.reply.error('ERR the ANY argument requires COUNT argument');

  if (!zset) {
    if (storeKey !== null) {
      if (client.db.delete(storeKey)) {
        markDirty(client);
        notify(client, NOTIFY_GENERIC, 'del', storeKey);
      }
      client.reply.integer(0);
    } else {
      client.reply.arrayHeader(0);
    }
    return;
  }
  if (count !== 0 && sort === 'none' && !any) sort = 'asc';

  const shape: GeoShape = box
    ? { type: 'box', lon: parts.lon!, lat: parts.lat!, conversion: parts.conversion!, width: parts.width!, height: parts.height! }
    : { type: 'radius', lon: parts.lon!, lat: parts.lat!, conversion: parts.conversion!, radius: parts.radius! };
  const found = searchShape(zset, shape, any ? count : 0);
  if (found.length === 0 && storeKey === null) return client.reply.arrayHeader(0);

  const returned = count === 0 || found.length < count ? found.length : count;
  // Array.prototype.sort is stable; Redis's qsort leaves equal distances in an unspecified order.
  if (sort === 'asc') found.sort((a, b) => a.dist - b.dist);
  else if (sort === 'desc') found.sort((a, b) => b.dist - a.dist);
  const results = found.slice(0, returned);
  for (const point of results) point.dist /= shape.conversion;

  if (storeKey === null) {
    const options = (withDist ? 1 : 0) + (withCoord ? 1 : 0) + (withHash ? 1 : 0);
    client.reply.arrayHeader(results.length);
    for (const point of results) {
      if (options) client.reply.arrayHeader(options + 1);
      client.reply.bulk(point.member);
      if (withDist) client.reply.bulk(formatFixed(point.dist, 4));
      if (withHash) client.reply.integer(point.score);
      if (withCoord) {
        client.reply.arrayHeader(2);
        replyCoordinate(client, point.lon);
        replyCoordinate(client, point.lat);
      }
    }
    return;
  }
  if (results.length > 0) {
    const stored = SortedSet.fromEntries(
      results.map((point) => [point.member, storeDist ? point.dist : point.score] as const),
      zsetLimits(client),
    );
    client.db.set(storeKey, stored);
    markDirty(client, results.length);
    notify(client, NOTIFY_ZSET, isSearch ? 'geosearchstore' : 'georadiusstore', storeKey);
  } else if (client.db.delete(storeKey)) {
    markDirty(client);
    notify(client, NOTIFY_GENERIC, 'del', storeKey);
  }
  client.reply.integer(results.length);
}

function distanceArgs(client: CommandContext, distanceText: string, unitText: string, parts: ShapeParts): boolean {
  const distance = doubleArg(client, distanceText, 'ERR need numeric radius');
  if (distance === null) return false;
  if (distance < 0) {
    client.reply.error('ERR radius cannot be negative');
    return false;
  }
  parts.radius = distance;
  const unit = unitArg(client, unitText);
  if (unit === null) return false;
  parts.conversion = unit;
  return true;
}

function boxArgs(client: CommandContext, widthText: string, heightText: string, unitText: string, parts: ShapeParts): boolean {
  const width = doubleArg(client, widthText, 'ERR need numeric width');
  if (width === null) return false;
  const height = doubleArg(client, heightText, 'ERR need numeric height');
  if (height === null) return false;
  if (height < 0 || width < 0) {
    client.reply.error('ERR height or width cannot be negative');
    return false;
  }
  parts.width = width;
  parts.height = height;
  const unit = unitArg(client, unitText);
  if (unit === null) return false;
  parts.conversion = unit;
  return true;
}

const KEY1: [number, number, number] = [1, 1, 1];
const cats = (...names: string[]) => ({ categories: names });

export const geoCommands: CommandSpec[] = [
  command('geoadd', -5, ['write', 'denyoom'], geoadd, KEY1, cats('@write', '@geo', '@slow')),
  command('geopos', -2, ['readonly'], geopos, KEY1, cats('@read', '@geo', '@slow')),
  command('geohash', -2, ['readonly'], geohash, KEY1, cats('@read', '@geo', '@slow')),
  command('geodist', -4, ['readonly'], geodist, KEY1, cats('@read', '@geo', '@slow')),
  command('georadius', -6, ['write', 'denyoom'], (c, a) => georadiusGeneric(c, a, 'radius', false), KEY1, cats('@write', '@geo', '@slow')),
  command('georadiusbymember', -5, ['write', 'denyoom'], (c, a) => georadiusGeneric(c, a, 'radiusbymember', false), KEY1, cats('@write', '@geo', '@slow')),
  command('georadius_ro', -6, ['readonly'], (c, a) => georadiusGeneric(c, a, 'radius', true), KEY1, cats('@read', '@geo', '@slow')),
  command('georadiusbymember_ro', -5, ['readonly'], (c, a) => georadiusGeneric(c, a, 'radiusbymember', true), KEY1, cats('@read', '@geo', '@slow')),
  command('geosearch', -7, ['readonly'], (c, a) => georadiusGeneric(c, a, 'search', false), KEY1, cats('@read', '@geo', '@slow')),
  command('geosearchstore', -8, ['write', 'denyoom'], (c, a) => georadiusGeneric(c, a, 'searchstore', false), [1, 2, 1], cats('@write', '@geo', '@slow')),
];
