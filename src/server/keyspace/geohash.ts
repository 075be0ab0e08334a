// Redis 7.0's geohash arithmetic (geohash.c, geohash_helper.c): a point is stored in a sorted
// set under a 52-bit score interleaving 26 bits of latitude (even bits) and 26 of longitude (odd
// bits). Searches cover the center cell and its 8 neighbours at a step chosen from the radius,
// so which members are visited, and in which order, follows exactly what Redis computes.
// The doubles are computed with the same operations in the same order as the C code, because
// results are compared byte for byte with redis-server.

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

interface Range {
  min: number;
  max: number;
}

const WGS84_LONG: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const WGS84_LAT: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** A cell: its latitude and longitude indexes at `step` bits each (Redis keeps them interleaved). */
export interface GeoCell {
  lat: number;
  lon: number;
  step: number;
}

export interface CellArea {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}

function degRad(angle: number): number {
  return angle * D_R;
}

function radDeg(angle: number): number {
  return angle / D_R;
}

/** Spreads the low 32 bits of `value` to the even bit positions. */
function spread(value: number): bigint {
  let out = 0n;
  let bit = 1n;
  for (let i = 0; i < 32; i++) {
    if (Math.floor(value / 2 ** i) % 2 === 1) out |= bit;
    bit <<= 2n;
  }
  return out;
}

function gather(bits: bigint): number {
  let out = 0;
  for (let i = 0; i < 32; i++) if ((bits >> BigInt(2 * i)) & 1n) out += 2 ** i;
  return out;
}

/** The interleaved bits of a cell (interleave64(lat, lon) in Redis). */
export function cellBits(cell: GeoCell): bigint {
  return spread(cell.lat) | (spread(cell.lon) << 1n);
}

export function encodeCell(longitude: number, latitude: number, step: number, lonRange = WGS84_LONG, latRange = WGS84_LAT): GeoCell {
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let lonOffset = (longitude - lonRange.min) / (lonRange.max - lonRange.min);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  // The C code converts to uint32_t: truncation, wrapping past 2^32 cannot happen in range.
  return { lat: Math.trunc(latOffset) >>> 0, lon: Math.trunc(lonOffset) >>> 0, step };
}

export function validLongLat(longitude: number, latitude: number): boolean {
  return !(longitude < GEO_LONG_MIN || longitude > GEO_LONG_MAX || latitude < GEO_LAT_MIN || latitude > GEO_LAT_MAX);
}

/** The score GEOADD stores: the 52-bit aligned hash as Redis would parse it back from its decimal text. */
export function geoScore(longitude: number, latitude: number): bigint {
  return cellBits(encodeCell(longitude, latitude, GEO_STEP_MAX));
}

/** (uint64_t)score: finite non-negative scores only make sense; others wrap as on x86-64. */
function scoreToBits(score: number): bigint {
  if (!Number.isFinite(score)) return 0x8000000000000000n;
  const truncated = BigInt(Math.trunc(score));
  return BigInt.asUintN(64, truncated);
}

export function cellArea(cell: GeoCell, lonRange = WGS84_LONG, latRange = WGS84_LAT): CellArea {
  const latScale = latRange.max - latRange.min;
  const lonScale = lonRange.max - lonRange.min;
  const div = 2 ** cell.step;
  return {
    latMin: latRange.min + (cell.lat * 1.0 / div) * latScale,
    latMax: latRange.min + ((cell.lat + 1) * 1.0 / div) * latScale,
    lonMin: lonRange.min + (cell.lon * 1.0 / div) * lonScale,
    lonMax: lonRange.min + ((cell.lon + 1) * 1.0 / div) * lonScale,
  };
}

/** The point a score stands for: the center of its step-26 cell, clamped to the valid ranges. */
export function decodeScore(score: number): [longitude: number, latitude: number] {
  const bits = scoreToBits(score);
  const cell: GeoCell = { lat: gather(bits), lon: gather(bits >> 1n), step: GEO_STEP_MAX };
  const area = cellArea(cell);
  let lon = (area.lonMin + area.lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (area.latMin + area.latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/** GEOHASH's 11-character standard geohash (re-encoded over -90..90 latitudes, last char '0'). */
export function standardGeohash(score: number): string {
  const [lon, lat] = decodeScore(score);
  const bits = cellBits(encodeCell(lon, lat, GEO_STEP_MAX, { min: -180, max: 180 }, { min: -90, max: 90 }));
  let text = '';
  for (let i = 0; i < 10; i++) text += GEOALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 31n)];
  return text + '0';
}

/** Haversine distance in meters, as Redis 7.0's geohashGetDistance. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lat1r = degRad(lat1d);
  const lon1r = degRad(lon1d);
  const lat2r = degRad(lat2d);
  const lon2r = degRad(lon2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const v = Math.sin((lon2r - lon1r) / 2);
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
}

export type GeoShape =
  | { type: 'radius'; lon: number; lat: number; conversion: number; radius: number }
  | { type: 'box'; lon: number; lat: number; conversion: number; width: number; height: number };

/** The distance from the shape's center when the point is inside the shape, otherwise null. */
export function distanceInShape(shape: GeoShape, lon: number, lat: number): number | null {
  if (shape.type === 'radius') {
    const distance = geoDistance(shape.lon, shape.lat, lon, lat);
    return distance > shape.radius * shape.conversion ? null : distance;
  }
  const width = shape.width * shape.conversion;
  const height = shape.height * shape.conversion;
  const lonDistance = geoDistance(lon, lat, shape.lon, lat);
  const latDistance = geoDistance(lon, lat, lon, shape.lat);
  if (lonDistance > width / 2 || latDistance > height / 2) return null;
  return geoDistance(shape.lon, shape.lat, lon, lat);
}

function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

function boundingBox(shape: GeoShape): [minLon: number, minLat: number, maxLon: number, maxLat: number] {
  const { lon, lat } = shape;
  const height = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat - latDelta)));
  const southern = lat < 0;
  return [
    southern ? lon - lonDeltaBottom : lon - lonDeltaTop,
    lat - latDelta,
    southern ? lon + lonDeltaBottom : lon + lonDeltaTop,
    lat + latDelta,
  ];
}

/**
 * A neighbour: the moved axis wraps around within `step` bits, the other keeps its index even
 * when it is out of range (longitude 180 encodes as 2^step), as Redis's geohash_move_x/_y.
 */
function moved(cell: GeoCell, dLon: number, dLat: number): GeoCell {
  const size = 2 ** cell.step;
  const lon = dLon === 0 ? cell.lon : (cell.lon + dLon + size) % size;
  const lat = dLat === 0 ? cell.lat : (cell.lat + dLat + size) % size;
  return { step: cell.step, lon, lat };
}

/**
 * The cells to scan, in Redis's order (center, N, S, E, W, NE, NW, SE, SW); null where Redis
 * zeroes a neighbour that lies wholly outside the bounding box.
 */
export function searchCells(shape: GeoShape): Array<GeoCell | null> {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  let radiusMeters =
    shape.type === 'radius' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateStepsByRadius(radiusMeters, shape.lat);
  let center = encodeCell(shape.lon, shape.lat, steps);
  const north = cellArea(moved(center, 0, 1));
  const south = cellArea(moved(center, 0, -1));
  const east = cellArea(moved(center, 1, 0));
  const west = cellArea(moved(center, -1, 0));
  const decrease = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decrease) {
    steps--;
    center = encodeCell(shape.lon, shape.lat, steps);
  }
  const area = cellArea(center);
  // Offsets in Redis's order: center, north, south, east, west, NE, NW, SE, SW.
  const offsets: Array<[number, number]> = [[0, 0], [0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];
  const cells: Array<GeoCell | null> = offsets.map(([dLon, dLat]) => (dLon === 0 && dLat === 0 ? center : moved(center, dLon, dLat)));
  if (steps >= 2) {
    const drop = (dLon: number | null, dLat: number | null) => {
      offsets.forEach(([x, y], i) => {
        if (i > 0 && (dLon === null || x === dLon) && (dLat === null || y === dLat)) cells[i] = null;
      });
    };
    if (area.latMin < minLat) drop(null, -1);
    if (area.latMax > maxLat) drop(null, 1);
    if (area.lonMin < minLon) drop(-1, null);
    if (area.lonMax > maxLon) drop(1, null);
  }
  return cells;
}

/** A cell's score range [min, max) at 52-bit alignment. */
export function cellScoreRange(cell: GeoCell): [min: number, max: number] {
  const bits = cellBits(cell);
  const shift = BigInt(52 - cell.step * 2);
  return [Number(bits << shift), Number((bits + 1n) << shift)];
}
