/**
 * Every diagnostic code the validators can report is documented in docs/language.md (its Diagnostics
 * list is the users' reference, and quick fixes key on the codes).
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { IssueCodes } from '../../language/vnet-validator.js';
import { NetworkIssueCodes } from '../../language/vnet-network-validator.js';
import { DualStackIssueCodes } from '../../language/vnet-dual-stack-validator.js';
import { SiteIssueCodes } from '../../language/vnet-site-validator.js';

const DOC = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
const DIAGNOSTICS = DOC.slice(DOC.indexOf('\n## Diagnostics'), DOC.indexOf('\n## Explanation codes'));

describe('docs/language.md diagnostics list', () => {
    for (const [name, codes] of Object.entries({ IssueCodes, NetworkIssueCodes, DualStackIssueCodes, SiteIssueCodes })) {
        it(`lists every code of ${name}`, () => {
            const missing = Object.values(codes).filter(code => !DIAGNOSTICS.includes(`\`${code}\``));
            assert.deepStrictEqual(missing, []);
        });
    }
});
