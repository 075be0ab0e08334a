import { describeDifferential, setup, unordered, type DiffCase } from '../helpers/differential';
import { describePropagation } from './propagation-capture';

const sicily = setup('GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '12.758489', '38.788135', 'edge1', '17.241510', '38.788135', 'edge2');

/** A grid of points around a center, for searches with many candidates (distinct distances). */
function grid(key: string, lon0: number, lat0: number, n: number, stepDeg: number): string[] {
  const args = ['GEOADD', key];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      args.push(String(lon0 + i * stepDeg + j * 0.0001), String(lat0 + j * stepDeg * 0.9 + i * 0.00007), `p${i}_${j}`);
    }
  }
  return args;
}

const cases: DiffCase[] = [
  {
    name: 'GEOADD with NX, XX, CH and its errors',
    steps: [
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
      ['GEOADD', 'g', 'CH', '13.4', '38.1', 'Palermo', '1', '1', 'new'],
      ['GEOADD', 'g', 'NX', '0', '0', 'Palermo', '2', '2', 'other'],
      ['GEOADD', 'g', 'XX', '0', '0', 'Palermo', '3', '3', 'nosuch'],
      ['GEOADD', 'g', 'XX', 'CH', '0', '0', 'Palermo'],
      ['GEOADD', 'g', 'NX', 'XX', '1', '1', 'a'],
      ['GEOADD', 'g', '1', '1'],
      ['GEOADD', 'g', 'CH', '1', '1'],
      ['GEOADD', 'g', 'CH', 'CH', 'CH'],
      ['GEOADD', 'g', '181', '10', 'bad'],
      ['GEOADD', 'g', '-180.5', '10', 'bad'],
      ['GEOADD', 'g', '10', '85.06', 'bad'],
      ['GEOADD', 'g', '10', '-85.06', 'bad'],
      ['GEOADD', 'g', 'abc', '10', 'bad'],
      ['GEOADD', 'g', '10', 'nan', 'bad'],
      ['GEOADD', 'g', '1', '1', 'ok', '200', '1', 'bad'],
      ['GEOADD', 'g'],
      ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'],
      ['SET', 's', 'x'],
      ['GEOADD', 's', '1', '1', 'a'],
    ],
  },
  {
    name: 'GEOADD at the limits: poles, antimeridian, zero',
    steps: [
      ['GEOADD', 'g', '180', '85.05112878', 'ne', '-180', '-85.05112878', 'sw', '180', '-85.05112878', 'se', '-180', '85.05112878', 'nw'],
      ['GEOADD', 'g', '0', '0', 'zero', '-0', '-0', 'negzero', '179.9999999', '0.0000001', 'tiny', '1e-300', '-1e-300', 'subtle'],
      ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'],
      ['GEOPOS', 'g', 'ne', 'sw', 'se', 'nw', 'zero', 'negzero', 'tiny', 'subtle', 'missing'],
      ['GEOHASH', 'g', 'ne', 'sw', 'se', 'nw', 'zero', 'negzero', 'tiny', 'subtle', 'missing'],
      ['GEODIST', 'g', 'ne', 'sw'],
      ['GEODIST', 'g', 'ne', 'nw', 'km'],
      ['GEODIST', 'g', 'se', 'sw', 'mi'],
      ['GEODIST', 'g', 'zero', 'tiny', 'ft'],
    ],
  },
  {
    name: 'GEOPOS, GEOHASH and GEODIST over regular and missing keys',
    steps: [
      sicily,
      ['GEOPOS', 'Sicily', 'Palermo', 'Catania', 'NonExisting'],
      ['GEOPOS', 'nokey', 'a', 'b'],
      ['GEOPOS', 'Sicily'],
      ['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'edge1', 'nothere'],
      ['GEOHASH', 'nokey', 'a'],
      ['GEOHASH', 'Sicily'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'MI'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'Ft'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'm'],
      ['GEODIST', 'Sicily', 'Palermo', 'Palermo'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'yd'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'extra'],
      ['GEODIST', 'Sicily', 'Palermo', 'nosuch'],
      ['GEODIST', 'nokey', 'a', 'b'],
      ['GEODIST', 'nokey', 'a', 'b', 'yd'],
      ['ZADD', 'plain', '0', 'zero', '1', 'one', '4503599627370495', 'max52', '-5', 'neg', '1.5', 'frac', '9007199254740992', 'big'],
      ['GEOPOS', 'plain', 'zero', 'one', 'max52', 'frac', 'big', 'neg'],
      ['GEOHASH', 'plain', 'zero', 'one', 'max52', 'frac', 'big', 'neg'],
      ['GEODIST', 'plain', 'neg', 'frac', 'km'],
      ['GEOSEARCH', 'plain', 'FROMMEMBER', 'zero', 'BYRADIUS', '100', 'km', 'WITHCOORD'],
      ['SET', 'str', 'x'],
      ['GEOPOS', 'str', 'a'],
      ['GEOHASH', 'str', 'a'],
      ['GEODIST', 'str', 'a', 'b'],
    ],
  },
  {
    name: 'GEOPOS and search coordinates in RESP3',
    resp3: true,
    steps: [
      sicily,
      ['GEOPOS', 'Sicily', 'Palermo', 'nosuch'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania'],
      ['GEODIST', 'Sicily', 'Palermo', 'nosuch'],
    ],
  },
  {
    name: 'GEORADIUS and GEORADIUSBYMEMBER with options',
    steps: [
      sicily,
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'ASC'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHCOORD', 'DESC'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '200000', 'm', 'COUNT', '1'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '2', 'DESC'],
      ['GEORADIUS', 'Sicily', '15', '37', '124.27', 'mi', 'WITHDIST', 'ASC'],
      ['GEORADIUS', 'Sicily', '15', '37', '656168', 'ft', 'WITHDIST', 'ASC'],
      ['GEORADIUS', 'Sicily', '15', '37', '1', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '0', 'km'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'WITHDIST', 'ASC'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '0', 'km', 'WITHDIST'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'nosuch', '200', 'km'],
      ['GEORADIUSBYMEMBER', 'nokey', 'nosuch', '200', 'km'],
      ['GEORADIUSBYMEMBER', 'nokey', 'nosuch', 'x', 'furlong'],
      ['GEORADIUS', 'nokey', '15', '37', '200', 'km'],
      ['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'ASC'],
      ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Catania', '100', 'km', 'DESC', 'WITHHASH'],
    ],
  },
  {
    name: 'GEORADIUS argument errors',
    steps: [
      sicily,
      ['GEORADIUS', 'Sicily', '15', '37', '-1', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', 'abc', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'yards'],
      ['GEORADIUS', 'Sicily', '15', '100', '10', 'km'],
      ['GEORADIUS', 'Sicily', 'x', '37', '10', 'km'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'COUNT', '0'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'COUNT', '-3'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'COUNT', 'x'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'COUNT'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'ANY'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'BOGUS'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'STORE'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'STORE', 'dst', 'WITHDIST'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'STOREDIST', 'dst', 'WITHHASH'],
      ['GEORADIUS_RO', 'Sicily', '15', '37', '10', 'km', 'STORE', 'dst'],
      ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Palermo', '10', 'km', 'STOREDIST', 'dst'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'FROMMEMBER', 'Palermo'],
      ['GEORADIUS', 'Sicily', '15', '37', '10', 'km', 'BYBOX', '1', '1', 'km'],
      ['SET', 'str', 'x'],
      ['GEORADIUS', 'str', '15', '37', '10', 'km'],
      ['GEORADIUSBYMEMBER', 'str', 'a', '10', 'km'],
      ['GEOSEARCH', 'str', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'],
    ],
  },
  {
    name: 'GEORADIUS STORE and STOREDIST read back',
    steps: [
      sicily,
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'dst'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'dst'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '1', 'DESC', 'STOREDIST', 'dst2'],
      ['ZRANGE', 'dst2', '0', '-1', 'WITHSCORES'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '500', 'mi', 'STOREDIST', 'dst3'],
      ['ZRANGE', 'dst3', '0', '-1', 'WITHSCORES'],
      ['OBJECT', 'ENCODING', 'dst3'],
      ['GEORADIUS', 'Sicily', '0', '0', '1', 'km', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
      ['SET', 'dst4', 'string'],
      ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'dst4'],
      ['EXISTS', 'dst4'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'Sicily'],
      ['ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'GEOSEARCH FROMMEMBER/FROMLONLAT, BYRADIUS/BYBOX, sorting and COUNT ANY',
    steps: [
      sicily,
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '300', 'km', 'DESC', 'WITHDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHCOORD', 'WITHDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '100', 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '100', '400', 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'edge1', 'BYBOX', '200', '200', 'mi', 'DESC', 'WITHHASH'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1', 'ANY'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '3', 'ANY'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1', 'ANY', 'DESC'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '100'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '2000', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '20000', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '40000', '20000', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '-165', '-37', 'BYRADIUS', '10', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '0', 'm', 'WITHDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '0', '0', 'm'],
      ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'],
    ],
  },
  {
    name: 'GEOSEARCH argument errors',
    steps: [
      sicily,
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37'],
      ['GEOSEARCH', 'Sicily', 'BYRADIUS', '10', 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'BYBOX', '1', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'km', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nosuch', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '-1', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '-1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', 'w', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', 'h', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'parsec'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', 'r', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'ANY'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'STORE', 'x'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'STOREDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '181', '37', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'Sicily', 'BYRADIUS', '1', 'km', 'WITHDIST', 'COUNT', '1'],
      ['GEOSEARCH', 'nokey', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'ANY'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'WITHDIST'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'STORE', 'x'],
      ['geosearchstore', 'dst', 'Sicily', 'BYRADIUS', '1', 'km'],
    ],
  },
  {
    name: 'GEOSEARCHSTORE with and without STOREDIST, empty results delete the destination',
    steps: [
      sicily,
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'ASC', 'COUNT', '3'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'STOREDIST'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMMEMBER', 'Catania', 'BYRADIUS', '100', 'mi', 'DESC', 'STOREDIST', 'COUNT', '1'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['EXISTS', 'dst'],
      ['SET', 'dst', 'x'],
      ['GEOSEARCHSTORE', 'dst', 'nokey', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['EXISTS', 'dst'],
      ['GEOSEARCHSTORE', 'Sicily', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
      ['ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'searches over many points: listpack and skiplist sets, cell borders, ordering',
    steps: [
      setup(...grid('small', 2.3, 48.8, 10, 0.01)),
      setup(...grid('big', 2.3, 48.8, 20, 0.01)),
      ['OBJECT', 'ENCODING', 'small'],
      ['OBJECT', 'ENCODING', 'big'],
      ['GEOSEARCH', 'small', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km'],
      ['GEOSEARCH', 'small', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km', 'COUNT', '5', 'ANY'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km', 'COUNT', '5', 'ANY', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '3', 'km', 'COUNT', '7', 'DESC', 'WITHDIST'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.4', '48.9', 'BYBOX', '5', '2', 'km'],
      ['GEOSEARCH', 'big', 'FROMLONLAT', '2.4', '48.9', 'BYBOX', '2', '5', 'km', 'ASC', 'WITHCOORD'],
      ['GEOSEARCH', 'big', 'FROMMEMBER', 'p5_5', 'BYRADIUS', '1500', 'm', 'WITHHASH'],
      ['GEOSEARCH', 'big', 'FROMMEMBER', 'p0_0', 'BYRADIUS', '100', 'km'],
      ['GEOSEARCH', 'big', 'FROMMEMBER', 'p0_0', 'BYRADIUS', '10000', 'km', 'COUNT', '3', 'ANY'],
      ['GEORADIUS', 'big', '2.31', '48.81', '800', 'm'],
      ['GEOSEARCHSTORE', 'dst', 'big', 'FROMLONLAT', '2.35', '48.85', 'BYRADIUS', '2', 'km', 'STOREDIST'],
      ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ],
  },
  {
    name: 'searches near the poles limits and across the antimeridian',
    steps: [
      ['GEOADD', 'w', '179.99', '0', 'east', '-179.99', '0', 'west', '179.5', '0.2', 'east2', '-179.5', '-0.2', 'west2', '0', '0', 'origin'],
      ['GEOADD', 'w', '10', '85', 'north', '-170', '85', 'north2', '10', '-85', 'south', '100', '84.9', 'north3'],
      ['GEOSEARCH', 'w', 'FROMLONLAT', '180', '0', 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'w', 'FROMLONLAT', '-180', '0', 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'w', 'FROMMEMBER', 'east', 'BYBOX', '200', '200', 'km', 'ASC'],
      ['GEORADIUSBYMEMBER', 'w', 'west', '10', 'km', 'WITHDIST'],
      ['GEOSEARCH', 'w', 'FROMLONLAT', '10', '85.05112878', 'BYRADIUS', '3000', 'km', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'w', 'FROMLONLAT', '10', '-85.05112878', 'BYRADIUS', '50', 'km', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'w', 'FROMMEMBER', 'north', 'BYBOX', '5000', '100', 'km', 'ASC'],
      ['GEODIST', 'w', 'east', 'west'],
      ['GEODIST', 'w', 'north', 'north2', 'km'],
      ['GEODIST', 'w', 'north', 'south', 'km'],
      ['GEODIST', 'w', 'origin', 'north'],
      ['GEOPOS', 'w', 'east', 'west', 'north', 'south'],
      ['GEOHASH', 'w', 'east', 'west', 'north', 'south', 'origin'],
    ],
  },
  {
    name: 'ties in distance: order unspecified',
    steps: [
      ['GEOADD', 't', '1', '1', 'a', '1', '1', 'b', '1', '1', 'c'],
      unordered('GEOSEARCH', 't', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km', 'ASC'),
      unordered('GEOSEARCH', 't', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'),
    ],
  },
  {
    name: 'COMMAND INFO and GETKEYS of the geo commands',
    steps: [
      ['COMMAND', 'INFO', 'geoadd', 'geopos', 'geohash', 'geodist', 'georadius', 'georadiusbymember', 'georadius_ro', 'georadiusbymember_ro', 'geosearch', 'geosearchstore'],
      ['COMMAND', 'GETKEYS', 'GEORADIUS', 'src', '0', '0', '1', 'km', 'STORE', 'dst'],
      ['COMMAND', 'GETKEYS', 'GEOSEARCHSTORE', 'dst', 'src', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ],
  },
];

describeDifferential('geo', cases);

describePropagation('geo', [
  {
    name: 'GEOADD propagates the ZADD it runs; search stores propagate as received',
    steps: [
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
      ['GEOADD', 'g', 'CH', 'NX', '13.4', '38.1', 'Palermo', '-180', '85.05112878', 'corner'],
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
      ['GEOADD', 'g', '200', '0', 'bad'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'dst'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km'],
      ['GEORADIUSBYMEMBER', 'g', 'Palermo', '300', 'km', 'STOREDIST', 'dst'],
      ['GEOSEARCHSTORE', 'dst2', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '300', 'km', 'STOREDIST'],
      ['GEOSEARCHSTORE', 'dst2', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCHSTORE', 'dst2', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ],
  },
  {
    name: 'inside MULTI: GEOADD still propagates its ZADD, with the stores, in one transaction',
    steps: [
      ['MULTI'],
      ['GEOADD', 'mg', '1', '2', 'a', '3', '4', 'b'],
      ['GEOADD', 'mg', 'XX', 'CH', '5', '6', 'a'],
      ['GEORADIUS_RO', 'mg', '1', '2', '1000', 'km'],
      ['GEOSEARCHSTORE', 'mdst', 'mg', 'FROMMEMBER', 'a', 'BYRADIUS', '500', 'km'],
      ['EXEC'],
    ],
  },
]);

/** Deterministic pseudo-random coordinates spread over the whole valid range. */
function scattered(n: number, seed: number): Array<[string, string]> {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const points: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) points.push([(next() * 360 - 180).toFixed(6), (next() * 170.1 - 85.05).toFixed(6)]);
  return points;
}

const world = scattered(300, 7);
const worldAdd = ['GEOADD', 'world', ...world.flatMap(([lon, lat], i) => [lon, lat, `c${i}`])];
const probes = scattered(12, 99);

describeDifferential('geo: scattered points', [
  {
    name: 'positions, hashes and distances of 300 scattered points',
    steps: [
      setup(...worldAdd),
      ['GEOPOS', 'world', ...world.map((_, i) => `c${i}`)],
      ['GEOHASH', 'world', ...world.map((_, i) => `c${i}`)],
      ...world.slice(0, 60).map((_, i) => ['GEODIST', 'world', `c${i}`, `c${(i * 7 + 3) % 300}`, ['m', 'km', 'ft', 'mi'][i % 4]]),
    ],
  },
  {
    name: 'searches of many radii and boxes around scattered centers',
    steps: [
      setup(...worldAdd),
      ...probes.flatMap(([lon, lat], i) => [
        ['GEOSEARCH', 'world', 'FROMLONLAT', lon, lat, 'BYRADIUS', String(100 * (i + 1) ** 2), 'km', 'ASC', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
        ['GEOSEARCH', 'world', 'FROMLONLAT', lon, lat, 'BYBOX', String(300 * (i + 1)), String(150 * (i + 2)), 'km', 'DESC', 'WITHDIST'],
        ['GEOSEARCH', 'world', 'FROMMEMBER', `c${i * 20}`, 'BYRADIUS', String(1000 + 700 * i), 'mi'],
        ['GEOSEARCH', 'world', 'FROMMEMBER', `c${i * 20 + 1}`, 'BYRADIUS', String(2000 + 500 * i), 'km', 'COUNT', '4', 'ANY'],
        ['GEORADIUS', 'world', lon, lat, String(50 + 400 * i), 'km', 'COUNT', '5', 'WITHDIST'],
      ]),
    ],
  },
]);
