// The migration guide's Express 5 example (docs/migrating-from-bms-mca-oauth-sdk.md), as it is printed there.
import express from 'express';
import axios from 'axios';
import { getAuthorizationHeaderBySecret } from '@mca-oauth/core';
import { installMca } from '@mca-oauth/axios';

const app = express();

// The seed's route in Express 5: a rejected promise reaches the error handler by itself, and
// res.send(status, body) is gone (res.status(status).send(body)).
app.get('/hello', async (req, res) => {
  const authHeader = await getAuthorizationHeaderBySecret({ cacheSize: 100 });
  res.status(200).send(authHeader);
});

// Once migrated: no header by hand. Credentials still come from VCAP_SERVICES; only URLs under
// ORDERS_API get a token.
const orders = axios.create({ baseURL: process.env.ORDERS_API });
installMca(orders, { match: process.env.ORDERS_API });

app.get('/orders/:id', async (req, res) => {
  const { data } = await orders.get(`/orders/${encodeURIComponent(req.params.id)}`);
  res.json(data);
});

// No token could be had: axios's error carries the McaError as `cause` (check `code`, not instanceof).
app.use((err, req, res, next) => {
  const code = err.cause?.code;
  if (typeof code !== 'string' || !code.startsWith('MCA_')) return next(err);
  res.status(502).json({ error: 'no_token_for_upstream', code });
});

app.listen(process.env.PORT ?? 3000);
