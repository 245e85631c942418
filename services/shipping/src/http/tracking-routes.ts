// The public tracking page: no sign-in, found by the tracking number alone, so it shows only what
// a label shows anyway: status, carrier, expected day, and each step's time and city.
import type { App } from '@shopnow/chassis';
import { normalizeTrackingNumber, TRACKING_LENGTH } from '../domain/tracking-number.ts';
import { shipmentNotFound } from '../errors.ts';
import { historyOf } from '../store/history.ts';
import { findByTrackingNumber } from '../store/shipments.ts';
import type { RouteDeps } from './deps.ts';
import { NoQuery, Tracking, TrackingParams } from './schemas.ts';
import { trackingView } from './views.ts';

export function registerTrackingRoutes(app: App, { db }: RouteDeps): void {
  app.get(
    '/tracking/:trackingNumber',
    {
      schema: {
        summary: 'Track a parcel by its tracking number (public: city-level places only)',
        tags: ['tracking'],
        params: TrackingParams,
        querystring: NoQuery,
        response: { 200: Tracking },
      },
    },
    async (request) => {
      const number = normalizeTrackingNumber(request.params.trackingNumber);
      const shipment = number.length === TRACKING_LENGTH ? await findByTrackingNumber(db, number) : undefined;
      if (shipment === undefined) throw shipmentNotFound(`with tracking number ${number}`);
      return trackingView(shipment, await historyOf(db, shipment.id));
    },
  );
}
