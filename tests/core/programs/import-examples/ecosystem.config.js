// Written from pm2's application declaration docs: a CommonJS ecosystem file.
const base = { cwd: __dirname };
module.exports = {
  apps: [
    {
      ...base,
      name: 'app1',
      script: './app.js',
      instances: 4,
      exec_mode: 'cluster',
      max_memory_restart: '300M',
      env: { NODE_ENV: 'development' },
      env_production: { NODE_ENV: 'production' },
      watch: true,
    },
    {
      name: 'worker',
      script: 'worker.py',
      interpreter: 'python3',
      args: '--queue jobs',
      autorestart: false,
      kill_timeout: 3000,
      min_uptime: '10s',
      max_restarts: 5,
      restart_delay: 4000,
      stop_exit_codes: [0, 3],
      cron_restart: '0 0 * * *',
    },
  ],
};
