import { SCOPES } from '../../brands/model.ts';
import type { TestApp } from '../../../test/helpers/app.ts';

/**
 * Test support only (no production code imports it): a second brand in the same app, with its own
 * API key, for brand-isolation checks of the delivery settings.
 */
export async function secondBrand(t: TestApp): Promise<{ brandId: string; api: TestApp['api'] }> {
  const brand = await t.ctx.brands.createBrand({ name: 'Other Brand', postalAddress: '2 Leaf Rd, Leeds LS1 1AA, UK', fromEmail: 'hi@other.test' }, { userId: t.userId }, { type: 'user', id: t.userId });
  const { secret } = await t.ctx.brands.createApiKey(brand.id, { name: 'other', scopes: [...SCOPES] }, { type: 'user', id: t.userId });
  return {
    brandId: brand.id,
    api: (method, url, body, headers = {}) => t.api(method, url, body, { authorization: `Bearer ${secret}`, ...headers }),
  };
}
